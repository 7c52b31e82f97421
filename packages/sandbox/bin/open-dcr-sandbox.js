#!/usr/bin/env node
// Checked in (not in dist/) so installing the workspace links the command before the first build.
await import('../dist/cli.js')

// The import rules `pnpm test` enforces (through scripts/check-structure.ts; also read by a bare
// `npx depcruise <paths>`). Issue 11: no import cycle anywhere, and the verification and metadata
// layers of @open-dcr/express stay free of Express and of the HTTP error mapping, so they can be
// reused and tested without a web framework.

/** Code that checks requests and metadata: pure functions over values, no HTTP. */
const frameworkFreeLayers = '^packages/express/src/(verify|metadata)/'

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: modules that need each other cannot be understood, tested or loaded one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'verify-metadata-not-express',
      severity: 'error',
      comment: 'verify/ and metadata/ must not import Express (nor its types): they work on plain values.',
      from: { path: frameworkFreeLayers },
      // Resolved (node_modules/express, node_modules/@types/express) or not (the bare name).
      to: { path: '(^|/)node_modules/(@types/)?express/|^(@types/)?express(/|$)' },
    },
    {
      name: 'verify-metadata-not-http',
      severity: 'error',
      comment:
        'verify/ and metadata/ must not import the HTTP layer (src/http: the mapping of errors to responses) ' +
        'nor the request handlers: they throw DcrError and leave the answer to the HTTP layer.',
      from: { path: frameworkFreeLayers },
      to: { path: '^packages/express/src/(http|handlers)/' },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '^(packages|examples)/[^/]+/dist/' },
    // Type-only imports are imports too: a type cycle still ties the modules together.
    tsPreCompilationDeps: true,
    // Workspace packages resolve to their TypeScript sources, as in vitest, so a cycle across
    // packages shows up too.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'node', 'default'],
      extensions: ['.ts', '.mts', '.js', '.mjs', '.cjs', '.d.ts', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}

import { execFileSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findConformanceTool, notFoundMessage } from '../../conformance/tool-path.js'

let root: string
/** `<root>/work/main`, a checkout with `<root>/work/shared/tools/…/conformance-dcr` beside it. */
let checkout: string
let sharedTool: string

const gitInit = (dir: string, origin?: string) => {
  execFileSync('git', ['init', '-q', dir])
  if (origin) execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', origin])
}

async function executable(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true })
  await writeFile(path, '#!/bin/sh\n')
  await chmod(path, 0o755)
  return path
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'open-dcr-tool-path-'))
  checkout = join(root, 'work', 'main')
  gitInit(checkout)
  sharedTool = await executable(join(root, 'work', 'shared', 'tools', 'obie-conformance-dcr', 'conformance-dcr'))
})

afterAll(() => rm(root, { recursive: true, force: true }))

describe('findConformanceTool', () => {
  it('finds ../shared/tools/obie-conformance-dcr/conformance-dcr beside the checkout', async () => {
    expect(await findConformanceTool({ repoRoot: checkout })).toEqual({ found: true, path: sharedTool })
  })

  it.each([
    ['a path', (dir: string) => dir],
    ['a file:// URL', (dir: string) => pathToFileURL(dir).href],
  ])('finds it beside the origin of a clone made elsewhere, origin as %s', async (label, origin) => {
    const clone = join(root, 'ci', label.replace(/\W+/g, '-'))
    gitInit(clone, origin(checkout))
    expect(await findConformanceTool({ repoRoot: clone })).toEqual({ found: true, path: sharedTool })
  })

  it('says where it looked when neither place has the tool, and how to build it', async () => {
    const clone = join(root, 'elsewhere', 'clone')
    gitInit(clone, 'https://github.com/example/open-dcr.git')
    const lookup = await findConformanceTool({ repoRoot: clone })
    expect(lookup).toEqual({
      found: false,
      named: false,
      looked: [join(root, 'elsewhere', 'shared', 'tools', 'obie-conformance-dcr', 'conformance-dcr')],
      problem: 'the official OB DCR conformance tool was not found',
    })
    if (lookup.found) return
    const message = notFoundMessage(lookup)
    expect(message).toContain(lookup.looked[0])
    expect(message).toContain('go build -o conformance-dcr ./cmd/cli')
    expect(message).toContain('OBIE_DCR_TOOL')
  })

  it('lists the origin folder too when it has no tool', async () => {
    const bare = join(root, 'lonely', 'repo')
    gitInit(bare)
    const clone = join(root, 'ci2', 'clone')
    gitInit(clone, bare)
    const lookup = await findConformanceTool({ repoRoot: clone })
    expect(lookup.found).toBe(false)
    if (!lookup.found) expect(lookup.looked).toHaveLength(2)
  })

  it('uses --tool before OBIE_DCR_TOOL, and either without falling back', async () => {
    const mine = await executable(join(root, 'bin', 'conformance-dcr'))
    expect(await findConformanceTool({ repoRoot: checkout, explicit: mine, fromEnv: '/nope' })).toEqual({
      found: true,
      path: mine,
    })
    expect(await findConformanceTool({ repoRoot: checkout, fromEnv: mine })).toEqual({ found: true, path: mine })
    const missing = await findConformanceTool({ repoRoot: checkout, fromEnv: join(root, 'missing') })
    expect(missing).toMatchObject({
      found: false,
      named: true,
      problem: expect.stringMatching(/^OBIE_DCR_TOOL names .*missing/),
    })
  })

  it('refuses a file that is not executable', async () => {
    const plain = join(root, 'bin', 'not-executable')
    await writeFile(plain, 'text')
    expect(await findConformanceTool({ repoRoot: checkout, explicit: plain })).toMatchObject({ found: false })
  })
})

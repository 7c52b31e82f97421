import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkSizes, countLines, formatSizeOffender, listSourceFiles, measureSource } from '../../structure/size.js'

/** A function declaration spanning exactly `lines` lines. */
const functionOf = (name: string, lines: number) =>
  [`function ${name}() {`, ...Array.from({ length: lines - 2 }, (_, i) => `  const v${i} = ${i}`), '}'].join('\n')

describe('measureSource', () => {
  it('reports a function over 80 lines with its line and length, and leaves one of 80 alone', () => {
    const text = `// header\n${functionOf('fits', 80)}\n\n${functionOf('tooLong', 81)}\n`
    expect(measureSource('a.ts', text)).toEqual([
      { file: 'a.ts', line: 83, name: 'tooLong', kind: 'function', lines: 81, limit: 80 },
    ])
  })

  it('starts a function at its declaration, not at its doc comment', () => {
    const text = `/**\n * Doc.\n * More doc.\n */\n${functionOf('documented', 80)}\n`
    expect(measureSource('a.ts', text)).toEqual([])
  })

  it('names arrow functions, methods, constructors and callbacks as a reader would look for them', () => {
    const body = Array.from({ length: 3 }, () => '  x()').join('\n')
    const text = [
      `export const arrow = async () => {\n${body}\n}`,
      `class Store {\n  constructor() {\n${body}\n  }\n  close() {\n${body}\n  }\n}`,
      `const handlers = { onRequest: function () {\n${body}\n} }`,
      `describe('suite', () => {\n${body}\n})`,
    ].join('\n')
    const names = measureSource('a.ts', text, { fileLines: 300, functionLines: 3 }).map((o) => `${o.line} ${o.name}`)
    expect(names).toEqual([
      '1 arrow',
      '7 Store.constructor',
      '12 Store.close',
      '18 onRequest',
      '23 (callback of describe)',
    ])
  })

  it('reports a nested function on its own as well as the function around it', () => {
    const text = `export function outer() {\n  const inner = () => {\n${'    x()\n'.repeat(85)}  }\n  return inner\n}\n`
    expect(measureSource('a.ts', text).map((o) => [o.name, o.lines])).toEqual([
      ['outer', 90],
      ['inner', 87],
    ])
  })

  it('reports a file over 300 lines, not one of exactly 300', () => {
    const lines = (n: number) => 'const a = 1\n'.repeat(n)
    expect(measureSource('ok.ts', lines(300))).toEqual([])
    expect(measureSource('long.ts', lines(301))).toEqual([
      { file: 'long.ts', line: 1, name: 'file', kind: 'file', lines: 301, limit: 300 },
    ])
  })

  it('reads JavaScript too', () => {
    expect(measureSource('a.mjs', `${functionOf('plain', 81)}\n`).map((o) => o.name)).toEqual(['plain'])
  })
})

describe('countLines', () => {
  it('counts like wc -l, with or without a final newline', () => {
    expect([countLines(''), countLines('a'), countLines('a\n'), countLines('a\nb'), countLines('a\nb\n')]).toEqual([
      0, 1, 1, 2, 2,
    ])
  })
})

describe('formatSizeOffender', () => {
  it('prints file:line, what is too long, its length and the limit', () => {
    expect(
      formatSizeOffender({ file: 'src/a.ts', line: 12, name: 'main', kind: 'function', lines: 92, limit: 80 }),
    ).toBe('src/a.ts:12 function main has 92 lines (max 80)')
    expect(formatSizeOffender({ file: 'src/a.ts', line: 1, name: 'file', kind: 'file', lines: 532, limit: 300 })).toBe(
      'src/a.ts:1 file has 532 lines (max 300)',
    )
  })
})

describe('listSourceFiles and checkSizes on a repository', () => {
  let root: string
  const write = async (path: string, text = 'export const a = 1\n') => {
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), text)
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'open-dcr-size-'))
    await write('packages/store/src/index.ts', `${functionOf('describeStore', 120)}\n`)
    await write('packages/store/src/deep/nested.ts')
    await write('packages/store/test/long.test.ts', `${functionOf('aTest', 200)}\n`)
    await write('packages/store/test/helper.ts', `${functionOf('aHelper', 200)}\n`)
    await write('packages/store/dist/index.js', `${functionOf('built', 200)}\n`)
    await write('packages/store/README.md', 'not code\n')
    await write('examples/journey/src/journey.ts', 'x\n'.repeat(301))
    await write('examples/journey/test/journey.test.ts')
    await write('scripts/conformance.ts')
    await write('scripts/ensure-chromium.mjs')
    await write('scripts/test/conformance.test.ts')
    await write('scripts/node_modules/dep/index.js', `${functionOf('dependency', 200)}\n`)
    await write('bench/harness/load.ts')
    await write('test/e2e.test.ts', `${functionOf('e2e', 200)}\n`)
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('finds source under packages/*/src, examples/*/src, scripts and bench, and no tests, builds or dependencies', async () => {
    expect(await listSourceFiles(root)).toEqual([
      'bench/harness/load.ts',
      'examples/journey/src/journey.ts',
      'packages/store/src/deep/nested.ts',
      'packages/store/src/index.ts',
      'scripts/conformance.ts',
      'scripts/ensure-chromium.mjs',
    ])
  })

  it('reports every offender in those files', async () => {
    expect((await checkSizes(root)).map(formatSizeOffender)).toEqual([
      'examples/journey/src/journey.ts:1 file has 301 lines (max 300)',
      'packages/store/src/index.ts:1 function describeStore has 120 lines (max 80)',
    ])
  })
})

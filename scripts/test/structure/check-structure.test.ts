import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repoRoot = resolve(import.meta.dirname, '../../..')
const run = async (root: string) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/check-structure.ts', root],
      { cwd: repoRoot },
    )
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string }
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr }
  }
}

let clean: string
let broken: string
const write = async (root: string, path: string, text: string) => {
  await mkdir(dirname(join(root, path)), { recursive: true })
  await writeFile(join(root, path), text)
}

beforeAll(async () => {
  const base = await mkdtemp(join(tmpdir(), 'open-dcr-check-structure-'))
  clean = join(base, 'clean')
  broken = join(base, 'broken')
  for (const root of [clean, broken]) {
    await mkdir(root, { recursive: true })
    await copyFile(join(repoRoot, '.dependency-cruiser.mjs'), join(root, '.dependency-cruiser.mjs'))
    await write(root, 'packages/store/src/index.ts', "import { b } from './b.js'\nexport const a = () => b\n")
  }
  await write(clean, 'packages/store/src/b.ts', 'export const b = 1\n')
  await write(broken, 'packages/store/src/b.ts', "import { a } from './index.js'\nexport const b = () => a\n")
  const body = Array.from({ length: 80 }, (_, i) => `  const v${i} = ${i}`).join('\n')
  await write(broken, 'scripts/long.ts', `export function tooLong() {\n${body}\n}\n`)
})
afterAll(async () => {
  await rm(dirname(clean), { recursive: true, force: true })
})

describe('pnpm run check:structure', () => {
  it('prints each offender and exits 1', async () => {
    const { code, stderr } = await run(broken)
    expect(code).toBe(1)
    expect(stderr).toContain('no-circular: packages/store/src/')
    expect(stderr).toContain('scripts/long.ts:1 function tooLong has 82 lines (max 80)')
    expect(stderr).toMatch(
      /check:structure: \d+ import rule violation\(s\).*, 1 file\(s\)\/function\(s\) over 300\/80 lines/,
    )
  })

  it('exits 0 on a repository that keeps the rules', async () => {
    const { code, stdout } = await run(clean)
    expect(code).toBe(0)
    expect(stdout).toContain('check:structure: no import cycle')
  })
})

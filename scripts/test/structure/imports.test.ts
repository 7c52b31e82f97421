import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkImports, formatImportViolation, type ImportViolation } from '../../structure/imports.js'

/** The repository's own rules, run over a small repository made for each test run. */
const rulesFile = resolve(import.meta.dirname, '../../../.dependency-cruiser.mjs')

let root: string
let violations: ImportViolation[]
const write = async (path: string, text: string) => {
  await mkdir(dirname(join(root, path)), { recursive: true })
  await writeFile(join(root, path), text)
}
const express = 'packages/express/src'

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'open-dcr-imports-'))
  // An installed express, so that its import resolves into node_modules as in the real workspace.
  await write('node_modules/express/package.json', '{"name":"express","version":"5.0.0","main":"index.js"}')
  await write('node_modules/express/index.js', 'module.exports = () => {}\n')
  await write(`${express}/errors.ts`, 'export class DcrError extends Error {}\n')
  await write(
    `${express}/http/error-response.ts`,
    "import { DcrError } from '../errors.js'\nexport const e = DcrError\n",
  )
  await write(`${express}/handlers/register.ts`, "import express from 'express'\nexport const r = express\n")
  // The layers that must stay free of Express and HTTP:
  await write(`${express}/verify/jwt.ts`, "import { DcrError } from '../errors.js'\nexport const v = DcrError\n")
  await write(`${express}/verify/uses-express.ts`, "import express from 'express'\nexport const u = express\n")
  await write(`${express}/verify/uses-http.ts`, "import { e } from '../http/error-response.js'\nexport const h = e\n")
  await write(`${express}/metadata/types-only.ts`, "import type { Request } from 'express'\nexport type R = Request\n")
  await write(
    `${express}/metadata/uses-handler.ts`,
    "import { r } from '../handlers/register.js'\nexport const m = r\n",
  )
  // A cycle of three modules, and one of two made of type imports only.
  await write('scripts/a.ts', "import { b } from './b.js'\nexport const a = () => b\n")
  await write('scripts/b.ts', "import { c } from './lib/c.js'\nexport const b = () => c\n")
  await write('scripts/lib/c.ts', "import { a } from '../a.js'\nexport const c = () => a\n")
  await write('examples/app/src/x.ts', "import type { Y } from './y.js'\nexport interface X { y?: Y }\n")
  await write('examples/app/src/y.ts', "import type { X } from './x.js'\nexport interface Y { x?: X }\n")
  await write('examples/app/src/clean.ts', "import { join } from 'node:path'\nexport const p = join('a', 'b')\n")
  violations = await checkImports(root, [`${express}`, 'scripts', 'examples'], rulesFile)
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('import rules (.dependency-cruiser.mjs)', () => {
  it('reports an import cycle with every module on it', () => {
    const cycles = violations.filter((v) => v.rule === 'no-circular' && v.from.startsWith('scripts/'))
    expect(cycles.length).toBeGreaterThan(0)
    for (const cycle of cycles) {
      expect(new Set(cycle.cycle)).toEqual(new Set(['scripts/a.ts', 'scripts/b.ts', 'scripts/lib/c.ts']))
    }
    expect(
      formatImportViolation({ rule: 'no-circular', from: 'a.ts', to: 'b.ts', cycle: ['a.ts', 'b.ts', 'a.ts'] }),
    ).toBe('no-circular: a.ts → b.ts → a.ts')
  })

  it('counts type-only imports in cycles', () => {
    expect(violations.filter((v) => v.rule === 'no-circular' && v.from.startsWith('examples/')).length).toBeGreaterThan(
      0,
    )
  })

  it('forbids Express, its types, the HTTP layer and the handlers in verify/ and metadata/', () => {
    const layered = violations.filter((v) => v.rule !== 'no-circular').map(({ rule, from, to }) => ({ rule, from, to }))
    expect(layered).toEqual(
      expect.arrayContaining([
        {
          rule: 'verify-metadata-not-express',
          from: `${express}/verify/uses-express.ts`,
          to: 'node_modules/express/index.js',
        },
        {
          rule: 'verify-metadata-not-express',
          from: `${express}/metadata/types-only.ts`,
          to: 'node_modules/express/index.js',
        },
        {
          rule: 'verify-metadata-not-http',
          from: `${express}/verify/uses-http.ts`,
          to: `${express}/http/error-response.ts`,
        },
        {
          rule: 'verify-metadata-not-http',
          from: `${express}/metadata/uses-handler.ts`,
          to: `${express}/handlers/register.ts`,
        },
      ]),
    )
    expect(layered).toHaveLength(4)
  })

  it('leaves the handlers, the HTTP layer and clean modules alone', () => {
    const offenders = new Set(violations.map((v) => v.from))
    for (const file of [
      `${express}/handlers/register.ts`,
      `${express}/http/error-response.ts`,
      `${express}/verify/jwt.ts`,
    ])
      expect(offenders.has(file), file).toBe(false)
    expect(offenders.has('examples/app/src/clean.ts')).toBe(false)
  })
})

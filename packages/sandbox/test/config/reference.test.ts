import { readFile } from 'node:fs/promises'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { configReferenceTable } from '../../src/config/reference.js'
import { sandboxConfigSchema } from '../../src/config/schema.js'

describe('the config reference table', () => {
  it('in the sandbox README is the one generated from the schema (run pnpm config:reference)', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    const start = readme.indexOf('<!-- config-reference:start')
    const end = readme.indexOf('<!-- config-reference:end -->')
    expect(start).toBeGreaterThan(0)
    const table = readme.slice(readme.indexOf('\n', start) + 1, end).trim()
    expect(table).toBe(configReferenceTable())
  })

  it('names every key of the schema, nested ones by path, and marks required ones', () => {
    const table = configReferenceTable()
    for (const key of Object.keys(sandboxConfigSchema.properties).filter((key) => key !== '$schema')) {
      expect(table).toContain(`| \`${key}\` |`)
    }
    expect(table).toContain('| `brands[].management.secretRotationGracePeriod` | integer ≥ 0 |')
    expect(table).toContain('| `brands[].profile` (required) | `ob-uk` \\| `rfc7591` \\| `eidas` |')
    expect(table).toContain('| `rateLimit.windowSeconds` | integer, 1 to 86400 |')
  })

  it('is generated from a schema valid against the draft 2020-12 meta-schema', () => {
    const ajv = new Ajv2020({ strict: false })
    expect(ajv.validateSchema(sandboxConfigSchema)).toBe(true)
  })
})

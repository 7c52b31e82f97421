import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { schemaProblems } from '../../src/config/validate.js'
import { defaultBrands, loadSandboxConfig, resolveSandboxConfig } from '../../src/index.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-dcr-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes `text` to a config file and loads it as the sandbox CLI does (`--config FILE`). */
async function load(name: string, text: string) {
  const file = join(dir, name)
  await writeFile(file, text)
  return loadSandboxConfig(file)
}

const brand = (extra: Record<string, unknown>) => ({
  id: 'x-bank',
  name: 'X',
  market: 'UK',
  profile: 'ob-uk',
  ...extra,
})

describe('the config file, loaded as the CLI loads it', () => {
  it('refuses an unknown key, naming its path and the key meant', async () => {
    const yaml = 'brands:\n  - id: x-bank\n    name: X\n    market: UK\n    profile: ob-uk\n    mtsl: required\n'
    await expect(load('typo.yaml', yaml)).rejects.toThrow(/brands\[0\]\.mtsl: unknown key \(did you mean "mtls"\?\)/)
  })

  it('refuses an unknown top-level key with the known ones', async () => {
    await expect(load('root.json', JSON.stringify({ brand: [] }))).rejects.toThrow(
      /brand: unknown key \(did you mean "brands"\?\)/,
    )
  })

  it('refuses a bad value, naming the brand path and the allowed values', async () => {
    const document = { brands: [brand({}), brand({ id: 'y' }), brand({ id: 'z' }), brand({ id: 'w', mtls: 'always' })] }
    await expect(load('bad.json', JSON.stringify(document))).rejects.toThrow(
      /brands\[3\]\.mtls: must be one of "required", "optional"/,
    )
  })

  it('names the file', async () => {
    await expect(load('named.json', JSON.stringify({ rateLimit: 1 }))).rejects.toThrow(/named\.json:\n {2}rateLimit:/)
  })

  it('catches what the middleware would refuse later, by the brand path, not the option name', () => {
    const attempt = () => resolveSandboxConfig({ brands: [brand({ tokenEndpointAuthMethods: ['client_secret_jwt'] })] })
    expect(attempt).toThrow(/brands\[0\]\.tokenEndpointAuthMethods\[0\]: must be one of "private_key_jwt"/)
    expect(attempt).not.toThrow(/option "policy/)
    expect(() => resolveSandboxConfig({ brands: [brand({ registrationPath: 'register' })] })).toThrow(
      /brands\[0\]\.registrationPath: must be a path such as \/register/,
    )
    expect(() => resolveSandboxConfig({ brands: [brand({ signingAlgorithms: [] })] })).toThrow(
      /brands\[0\]\.signingAlgorithms: must list at least 1/,
    )
    expect(() => resolveSandboxConfig({ brands: [brand({ softwareStatementMaxAge: -1 })] })).toThrow(
      /brands\[0\]\.softwareStatementMaxAge: must be at least 0/,
    )
  })

  it('lists every problem at once', () => {
    const attempt = () =>
      resolveSandboxConfig({ brands: [brand({ mtls: 'yes', dnAnyOrder: 'no' })], portalApps: [{ client_id: 'x' }] })
    expect(attempt).toThrow(/brands\[0\]\.mtls: must be one of/)
    expect(attempt).toThrow(/brands\[0\]\.dnAnyOrder: must be true or false/)
    expect(attempt).toThrow(/portalApps\[0\]\.client_secret: is required/)
  })

  it.each([
    [{ brands: [brand({}), brand({ name: 'Again' })] }, /brands\[1\]\.id: "x-bank" is already brands\[0\]\.id/],
    [
      { portalApps: [0, 1].map(() => ({ client_id: 'portal-app-1', client_secret: 'sixteen-characters' })) },
      /portalApps\[1\]\.client_id: "portal-app-1" is already portalApps\[0\]\.client_id/,
    ],
    [{ directories: [{ issuer: 'D' }] }, /directories\[0\]: must give jwks or jwksUri/],
    [
      { brands: [brand({ management: { registrationAccessToken: false, accessToken: false } })] },
      /brands\[0\]\.management: must accept registration access tokens, access tokens, or both/,
    ],
  ])('keeps the checks a schema cannot express: %j', (document, message) => {
    expect(() => resolveSandboxConfig(document)).toThrow(message)
  })
})

describe('every shipped config validates', () => {
  it('the built-in brands', () => {
    expect(schemaProblems({ brands: defaultBrands })).toEqual([])
  })

  it("the sandbox README's Config file examples", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('## Config file'))
    const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].slice(0, 2).map((match) => match[1] ?? '')
    expect(blocks.length).toBe(2)
    for (const block of blocks) {
      const text = block.replace('    ...\n', '    MIIB\n    -----END CERTIFICATE-----\n')
      expect(schemaProblems(parseYaml(text))).toEqual([])
      expect(() => resolveSandboxConfig(parseYaml(text))).not.toThrow()
    }
  })
})

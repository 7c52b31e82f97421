import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { sandboxDefaults } from '@open-dcr/sandbox'
import {
  type Copy,
  DockerfileParser,
  type Env,
  type Healthcheck,
  type Instruction,
  type JSONInstruction,
} from 'dockerfile-ast'
import { afterAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { cleanUp, sandbox } from './helpers.js'

// No Docker (nor hadolint) on the development machine: the Dockerfile and compose file are checked
// by parsing them (dockerfile-ast, the parser of VS Code's Docker language server; yaml), and what
// they run is run here: the health check's command against a live sandbox, the CMD's path in the
// packed sandbox (test/pack.e2e.test.ts installs those tarballs with npm and starts that bin).

const root = fileURLToPath(new URL('..', import.meta.url))
const run = promisify(execFile)
const dockerfile = DockerfileParser.parse(readFileSync(join(root, 'Dockerfile'), 'utf8'))
const instructions = dockerfile.getInstructions()
const froms = dockerfile.getFROMs()
const finalStageStart = froms.at(-1)?.getRange().start.line ?? 0
const finalStage = instructions.filter((instruction) => instruction.getRange().start.line >= finalStageStart)
const only = <T extends Instruction>(keyword: string, from: Instruction[] = finalStage) =>
  from.filter((instruction) => instruction.getKeyword() === keyword) as T[]
const env = Object.fromEntries(
  only<Env>('ENV').flatMap((instruction) => instruction.getProperties().map((p) => [p.getName(), p.getValue()])),
)
const compose = parseYaml(readFileSync(join(root, 'compose.yaml'), 'utf8')) as {
  services: Record<string, Record<string, unknown>>
  volumes?: Record<string, unknown>
}

afterAll(cleanUp)

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage, both on one exactly pinned Debian Node 20 image', () => {
    expect(froms.map((from) => from.getBuildStage())).toEqual(['build', 'runtime'])
    const engines = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node as string
    for (const from of froms) {
      expect(from.getImageName()).toBe('node')
      // An exact version, never `latest` or a bare major; glibc (bookworm) for the lowdb store's prebuilds.
      expect(from.getImageTag()).toMatch(/^20\.\d+\.\d+-bookworm-slim$/)
      expect(engines).toMatch(/>=20\./)
    }
    expect(new Set(froms.map((from) => from.getImageTag())).size).toBe(1)
  })

  it('runs as a non-root user, with the data directory a volume', () => {
    const users = only('USER').map((user) => user.getArgumentsContent())
    expect(users.at(-1)).toBeDefined()
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/)
    expect(env.DATA_DIR).toBe('/data')
    const volumes = only('VOLUME').map((volume) => JSON.parse(volume.getArgumentsContent() ?? '[]') as string[])
    expect(volumes.flat()).toContain(env.DATA_DIR)
    // The volume's folder is the user's: created and handed over before USER.
    const prepare = only('RUN')
      .map((step) => step.getArgumentsContent() ?? '')
      .join('\n')
    expect(prepare).toContain(`chown node:node ${env.DATA_DIR}`)
    expect(env.NODE_ENV).toBe('production')
  })

  it('listens on all interfaces on the ports the CLI defaults to, and exposes exactly those', () => {
    expect(env.HOST).toBe('0.0.0.0')
    expect(env.PORT).toBe(String(sandboxDefaults.port))
    expect(env.MTLS_PORT).toBe(String(sandboxDefaults.mtlsPort))
    const exposed = only('EXPOSE').flatMap((expose) => (expose.getArgumentsContent() ?? '').split(/\s+/))
    expect(exposed.sort()).toEqual([String(sandboxDefaults.port), String(sandboxDefaults.mtlsPort)].sort())
  })

  it('starts the packed sandbox bin in exec form', () => {
    const [cmd] = only<JSONInstruction>('CMD')
    const args = cmd?.getJSONStrings().map((arg) => JSON.parse(arg.getValue()) as string) ?? []
    expect(args).toEqual(['node', 'node_modules/@open-dcr/sandbox/bin/open-dcr-sandbox.js'])
    const sandboxPackage = JSON.parse(readFileSync(join(root, 'packages/sandbox/package.json'), 'utf8'))
    expect(`node_modules/${sandboxPackage.name}/${sandboxPackage.bin['open-dcr-sandbox'].replace('./', '')}`).toBe(
      args[1],
    )
    expect(sandboxPackage.files).toContain('bin')
  })

  it("has a HEALTHCHECK whose node command passes against a live sandbox's /health and fails without one", async () => {
    const [healthcheck] = only<Healthcheck>('HEALTHCHECK')
    expect(healthcheck?.getSubcommand()?.getValue()).toBe('CMD')
    const content = healthcheck?.getArgumentsContent() ?? ''
    const command = JSON.parse(content.slice(content.indexOf('['))) as string[]
    expect(command[0]).toBe('node')
    const bank = await sandbox()
    try {
      const port = new URL(bank.urls.http).port
      const passed = await run(process.execPath, command.slice(1), { env: { ...process.env, PORT: port } })
      expect(passed.stderr).toBe('')
    } finally {
      await bank.close()
    }
    const closed = run(process.execPath, command.slice(1), { env: { ...process.env, PORT: '9' } })
    await expect(closed).rejects.toMatchObject({ code: 1 })
  })

  it('copies only what exists, and installs the tarballs the build stage packs', () => {
    for (const copy of only<Copy>('COPY', instructions)) {
      if (copy.getFromFlag()) continue
      const [source] = (copy.getArgumentsContent() ?? '').split(/\s+/)
      expect(existsSync(join(root, source ?? '')), source).toBe(true)
    }
    const built = only('RUN', instructions)
      .map((step) => step.getArgumentsContent() ?? '')
      .join('\n')
    expect(built).toContain('pnpm install --frozen-lockfile')
    expect(built).toContain('pnpm --recursive pack --pack-destination /packs')
    for (const name of ['express', 'store-lowdb', 'store-postgres', 'testkit', 'sandbox']) {
      expect(built).toContain(`/packs/open-dcr-${name}-*.tgz`)
    }
    const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager as string
    expect(built).toContain(pnpmVersion)
  })

  it('.dockerignore keeps dependencies, builds, data and git history out of the context', () => {
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n')
    for (const entry of ['.git', '**/node_modules', '**/dist', '.sandbox-data', 'test-output']) {
      expect(ignored).toContain(entry)
    }
  })
})

describe('compose.yaml', () => {
  const postgres = compose.services.postgres as {
    image: string
    healthcheck: { test: string[] }
    environment: Record<string, string>
  }
  const sandboxService = compose.services.sandbox as {
    build: string
    depends_on: Record<string, { condition: string }>
    environment: Record<string, string>
    ports: string[]
    volumes: string[]
  }

  it('runs PostgreSQL at a pinned version with a pg_isready health check', () => {
    expect(postgres.image).toMatch(/^postgres:\d+\.\d+/)
    expect(postgres.healthcheck.test.join(' ')).toMatch(/pg_isready/)
  })

  it('starts the sandbox once PostgreSQL is healthy, pointed at that service', () => {
    expect(sandboxService.build).toBe('.')
    expect(sandboxService.depends_on.postgres?.condition).toBe('service_healthy')
    const url = new URL(sandboxService.environment.DATABASE_URL ?? '')
    expect(url.protocol).toBe('postgres:')
    expect(url.hostname).toBe('postgres')
    expect(url.pathname.slice(1)).toBe(postgres.environment.POSTGRES_DB)
    expect(decodeURIComponent(url.username)).toBe(postgres.environment.POSTGRES_USER)
  })

  it('publishes the two listeners on 127.0.0.1 only, and keeps the data directory in a volume', () => {
    expect(sandboxService.ports.sort()).toEqual(
      [
        `127.0.0.1:${sandboxDefaults.port}:${sandboxDefaults.port}`,
        `127.0.0.1:${sandboxDefaults.mtlsPort}:${sandboxDefaults.mtlsPort}`,
      ].sort(),
    )
    expect(sandboxService.volumes).toContain(`sandbox-data:${env.DATA_DIR}`)
    expect(Object.keys(compose.volumes ?? {})).toContain('sandbox-data')
  })
})

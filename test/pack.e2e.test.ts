import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { DockerfileParser, type JSONInstruction } from 'dockerfile-ast'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSandboxProcess } from './support/sandbox-process.js'

// What a bank or a TPP gets from the registry: every package packed as `pnpm publish` would, then
// installed with npm into an app outside the workspace (no workspace links, no hoisted dev tools).

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))
const minutes = 60_000
let dir: string
let app: string
let tarballs: string[]

/** Runs a command; on failure the error carries its output. */
async function sh(file: string, args: string[], cwd: string, timeout = 5 * minutes) {
  try {
    return await run(file, args, { cwd, timeout, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } })
  } catch (err) {
    const failed = err as { stdout?: string; stderr?: string; message: string }
    throw new Error(
      `${file} ${args.join(' ')} failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    )
  }
}

const packages = {
  '@open-dcr/express': 'createDcrRouter',
  '@open-dcr/store-lowdb': 'createLowdbStore',
  '@open-dcr/store-postgres': 'createPostgresStore',
  '@open-dcr/store-test-suite': 'describeClientStore',
  '@open-dcr/testkit': 'createMockDirectory',
  '@open-dcr/sandbox': 'startSandbox',
} as const

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'open-dcr-pack-'))
  const packs = join(dir, 'tarballs')
  app = join(dir, 'app')
  await mkdir(app)
  await sh('pnpm', ['run', 'build'], root)
  await sh('pnpm', ['-r', 'pack', '--pack-destination', packs], root)
  tarballs = (await readdir(packs)).map((name) => join(packs, name))
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }))
  // express at the floor of the peer range, so the range is what is tested.
  const tools = ['express@5.1.0', 'typescript@6.0.3', '@types/node@20.19.43']
  await sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...tools], app, 10 * minutes)
}, 15 * minutes)

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the packed packages, installed with npm outside the workspace', () => {
  it('are complete tarballs: a LICENSE each, no workspace: ranges, the sandbox with its OpenAPI document', async () => {
    expect(tarballs).toHaveLength(Object.keys(packages).length)
    for (const tarball of tarballs) {
      const { stdout: files } = await sh('tar', ['tzf', tarball], dir)
      expect(files.split('\n'), tarball).toContain('package/LICENSE')
      const { stdout: manifest } = await sh('tar', ['xzf', tarball, '-O', 'package/package.json'], dir)
      expect(manifest, tarball).not.toContain('workspace:')
      const parsed = JSON.parse(manifest) as Record<string, unknown>
      expect(parsed, tarball).toMatchObject({
        license: 'Apache-2.0',
        main: './dist/index.js',
        types: './dist/index.d.ts',
      })
      expect(parsed.repository, tarball).toMatchObject({ type: 'git', directory: expect.stringMatching(/^packages\//) })
      if (tarball.includes('sandbox')) expect(files.split('\n')).toContain('package/openapi/open-dcr.yaml')
    }
  })

  it('@open-dcr/express takes express as a peer, and ships the types its declarations import', async () => {
    const { stdout } = await sh('npm', ['ls', 'express', '--all', '--parseable'], app)
    // One express for the app and the middleware (the sandbox may bring its own for itself).
    expect(stdout).toContain(join(app, 'node_modules', 'express'))
    expect(stdout).not.toContain(join('@open-dcr', 'express', 'node_modules', 'express'))
  })

  it.each(Object.entries(packages))('%s imports as ESM and as CJS (require)', async (name, exported) => {
    const esm = `import * as m from '${name}'; console.log(typeof m.${exported})`
    expect((await sh(process.execPath, ['--input-type=module', '-e', esm], app)).stdout.trim()).toBe('function')
    const cjs = `const m = require('${name}'); console.log(typeof m.${exported})`
    expect((await sh(process.execPath, ['--input-type=commonjs', '-e', cjs], app)).stdout.trim()).toBe('function')
  })

  it.each([
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
    ['node10', { module: 'esnext', moduleResolution: 'node10', ignoreDeprecations: '6.0' }],
  ])('type-checks a strict app with skipLibCheck false (%s resolution)', async (label, resolution) => {
    const project = join(app, `ts-${label}`)
    await mkdir(project, { recursive: true })
    await writeFile(
      join(project, 'app.ts'),
      [
        "import express from 'express'",
        "import { createDcrRouter, type ClientStore } from '@open-dcr/express'",
        "import { createLowdbStore } from '@open-dcr/store-lowdb'",
        "import { createMockDirectory } from '@open-dcr/testkit'",
        "import { startSandbox } from '@open-dcr/sandbox'",
        '',
        "const store = await createLowdbStore({ dir: './data' })",
        'const kept: ClientStore = store',
        'const directory = await createMockDirectory()',
        'const app = express()',
        'app.use(',
        "  '/open-banking',",
        '  createDcrRouter({',
        "    issuer: 'https://bank.example',",
        "    profile: 'ob-uk',",
        '    store: kept,',
        '    replayStore: store,',
        '    directories: [{ issuer: directory.issuer, jwks: directory.jwks }],',
        '  }),',
        ')',
        'export const sandboxStarter: typeof startSandbox = startSandbox',
        '',
      ].join('\n'),
    )
    const compilerOptions = {
      ...resolution,
      target: 'es2022',
      strict: true,
      skipLibCheck: false,
      noEmit: true,
      types: ['node'],
    }
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['app.ts'] }))
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc')
    await sh(process.execPath, [tsc, '-p', project], project)
  })

  it('in the workspace, the bins are linked launchers: `pnpm --filter @open-dcr/testkit exec open-dcr` runs', async () => {
    const { stdout } = await sh('pnpm', ['--filter', '@open-dcr/testkit', 'exec', 'open-dcr', '--help'], root)
    expect(stdout).toMatch(/Usage: open-dcr/)
    expect(stdout).toContain('client')
  })

  it("runs the Dockerfile's runtime install and CMD as written (tarballs from /packs), and the sandbox answers", async () => {
    const dockerfile = DockerfileParser.parse(await readFile(join(root, 'Dockerfile'), 'utf8'))
    const runtime = dockerfile.getFROMs().at(-1)?.getRange().start.line ?? 0
    const steps = dockerfile.getInstructions().filter((step) => step.getRange().start.line > runtime)
    const install = steps.find((step) => step.getKeyword() === 'RUN')?.getArgumentsContent() ?? ''
    const image = join(dir, 'image-app')
    await mkdir(image)
    // As in the image, minus what only root in a container does (the data folder is a temp one here).
    const script = install
      .replaceAll('/packs', join(dir, 'tarballs'))
      .replace(/&&\s*rm -rf[^&]*/, '')
      .replace(/&&\s*mkdir -p \/data[^&]*/, '')
      .replace(/&&\s*chown [^&]*$/, '')
    expect(script).toContain('npm install --omit=dev')
    await sh('sh', ['-c', script], image, 10 * minutes)
    const cmd = steps.find((step) => step.getKeyword() === 'CMD') as JSONInstruction | undefined
    const [node, bin] = cmd?.getJSONStrings().map((arg) => JSON.parse(arg.getValue()) as string) ?? []
    expect(node).toBe('node')
    const sandbox = await startSandboxProcess(
      { DATA_DIR: join(dir, 'image-data'), NODE_ENV: 'production' },
      2 * minutes,
      {
        path: join(image, bin ?? ''),
        cwd: image,
      },
    )
    try {
      expect((await fetch(`${sandbox.http}/ready`)).status).toBe(200)
    } finally {
      expect(await sandbox.stop()).toBe(0)
    }
  })

  it("starts the packed sandbox's bin and answers /health", async () => {
    const data = join(dir, 'sandbox-data')
    const sandbox = await startSandboxProcess({ DATA_DIR: data }, 2 * minutes, {
      path: join(app, 'node_modules', '.bin', 'open-dcr-sandbox'),
      cwd: app,
    })
    try {
      const health = await fetch(`${sandbox.http}/health`)
      expect(health.status).toBe(200)
      expect(await health.json()).toMatchObject({ status: 'ok' })
      const docs = await fetch(`${sandbox.http}/openapi.json`)
      expect(((await docs.json()) as { openapi?: string }).openapi).toMatch(/^3\.1/)
    } finally {
      expect(await sandbox.stop()).toBe(0)
    }
  })
})

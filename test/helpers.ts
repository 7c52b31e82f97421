import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@open-dcr/express'
import { type RunningSandbox, type SandboxOptions, startSandbox } from '@open-dcr/sandbox'
import { assertResponseMatchesSpec } from './openapi-validator.js'

const dirs: string[] = []

/** A new temporary data directory, removed by {@link cleanUp}. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'open-dcr-e2e-'))
  dirs.push(dir)
  return dir
}

export async function cleanUp(): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
}

/** A sandbox on ephemeral 127.0.0.1 ports with a fresh (or given) data directory. */
export async function sandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({
    host: '127.0.0.1',
    port: 0,
    mtlsPort: 0,
    dataDir: await tempDir(),
    logger: silentLogger,
    ...options,
  })
}

/** JSON over fetch: status and parsed body. */
export async function call(
  url: string,
  init: { method?: string; body?: unknown; type?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const body =
    init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body)
  const res = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': init.type ?? 'application/json' }), ...init.headers },
    ...(body === undefined ? {} : { body }),
  })
  const text = await res.text()
  const parsed = text ? JSON.parse(text) : {}
  assertResponseMatchesSpec(
    init.method ?? (body === undefined ? 'GET' : 'POST'),
    url,
    res.status,
    parsed,
    res.headers.get('content-type'),
  )
  return { status: res.status, body: parsed, headers: res.headers }
}

/** How many clients the lowdb store holds on disk. */
export async function storedClientCount(dataDir: string): Promise<number> {
  const root = join(dataDir, 'store', 'clients')
  const folders = await readdir(root).catch(() => [] as string[])
  const files = await Promise.all(folders.map((folder) => readdir(join(root, folder))))
  return files.flat().filter((name) => name.endsWith('.json')).length
}

/** A request over real (mutual) TLS, trusting `ca`. */
export function tlsRequest(
  url: string,
  options: {
    method: string
    ca: string
    cert?: string
    key?: string
    body?: string
    type?: string
    headers?: Record<string, string>
  },
): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: options.method,
        ca: options.ca,
        ...(options.cert ? { cert: options.cert, key: options.key } : {}),
        headers: {
          ...(options.body === undefined ? {} : { 'content-type': options.type ?? 'application/json' }),
          ...options.headers,
        },
        agent: false,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, headers: res.headers }),
        )
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** The header a TLS-terminating proxy would set: the kit's transport certificate, URL-encoded PEM. */
export const clientCert = (kit: { transport: { cert_pem: string } } | Record<string, unknown>) => ({
  'x-client-certificate': encodeURIComponent((kit as { transport: { cert_pem: string } }).transport.cert_pem),
})

/** A new developer-portal app's DCR-service token from an eidas brand's token endpoint. */
export async function dcrServiceToken(sandboxUrl: string, brand = 'continental-corporate'): Promise<string> {
  const app = (await call(`${sandboxUrl}/sandbox/portal-apps`, { body: { name: 'Test DCR app' } })).body as {
    client_id: string
    client_secret: string
  }
  const token = await call(`${sandboxUrl}/${brand}/token`, {
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.client_id,
      client_secret: app.client_secret,
    }).toString(),
    type: 'application/x-www-form-urlencoded',
  })
  if (token.status !== 200) throw new Error(`no DCR-service token: HTTP ${token.status}`)
  return token.body.access_token as string
}

/**
 * `pnpm openapi:examples`: runs a real journey against an ephemeral sandbox and writes what it
 * answered into openapi/open-dcr.yaml as components/examples, attached to the responses they
 * illustrate. Every example in the spec is therefore something the sandbox really said.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '@open-dcr/express'
import { startSandbox } from '@open-dcr/sandbox'
import { parseDocument } from 'yaml'

const specFile = new URL('../openapi/open-dcr.yaml', import.meta.url)
const dataDir = await mkdtemp(join(tmpdir(), 'open-dcr-examples-'))
const sandbox = await startSandbox({ port: 0, mtlsPort: 0, dataDir, logger: silentLogger })
const base = sandbox.urls.http

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  type = 'application/json',
) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': type }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

/** Example name → [path, method, status, value]. */
const examples: Record<string, [string, string, string, unknown]> = {}
try {
  const brands = await call('GET', '/brands')
  examples.Brands = ['/brands', 'get', '200', brands.body]
  const discovery = await call('GET', '/northbank-personal/.well-known/openid-configuration')
  examples.Discovery = ['/{brand}/.well-known/openid-configuration', 'get', '200', discovery.body]
  const kit = await call('POST', '/sandbox/tpps', { roles: ['AISP', 'PISP'] })
  examples.TppKit = ['/sandbox/tpps', 'post', '201', kit.body]
  const softwareId = String(kit.body.software_id)
  const certificate = { 'x-client-certificate': String((kit.body.transport as { cert_header: string }).cert_header) }
  const prepared = await call('POST', `/sandbox/tpps/${softwareId}/registration-request`, {
    brand: 'northbank-personal',
    metadata: { token_endpoint_auth_method: 'client_secret_post' },
  })
  examples.RegistrationRequest = ['/sandbox/tpps/{softwareId}/registration-request', 'post', '200', prepared.body]
  const registered = await call(
    'POST',
    '/northbank-personal/register',
    prepared.body.jwt,
    certificate,
    'application/jose',
  )
  examples.ClientRegistered = ['/{brand}/register', 'post', '201', registered.body]
  const again = await call('POST', `/sandbox/tpps/${softwareId}/registration-request`, {
    brand: 'northbank-personal',
    metadata: { redirect_uris: ['https://evil.example/cb'] },
  })
  const refused = await call('POST', '/northbank-personal/register', again.body.jwt, certificate, 'application/jose')
  examples.RegistrationRefused = ['/{brand}/register', 'post', '400', refused.body]
  const token = await call(
    'POST',
    '/northbank-personal/token',
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: String(registered.body.client_id),
      client_secret: String(registered.body.client_secret),
    }).toString(),
    certificate,
    'application/x-www-form-urlencoded',
  )
  examples.Token = ['/{brand}/token', 'post', '200', token.body]
  const signed = await call('POST', '/sandbox/http-signatures', {
    method: 'POST',
    path: '/continental-corporate/client/v1/register',
    body: '{"iss":"PSDGB-FCA-123456"}',
    software_id: softwareId,
  })
  examples.SignedHeaders = ['/sandbox/http-signatures', 'post', '200', signed.body]
} finally {
  await sandbox.close()
  await rm(dataDir, { recursive: true, force: true })
}

const document = parseDocument(await readFile(specFile, 'utf8'))
for (const [name, [path, method, status, value]] of Object.entries(examples)) {
  document.setIn(
    ['components', 'examples', name],
    document.createNode({ summary: `Produced by the sandbox (${method.toUpperCase()} ${path})`, value }),
  )
  const response = ['paths', path, method, 'responses', status]
  const ref = document.getIn([...response, '$ref']) as string | undefined
  const content = [...(ref ? ref.replace(/^#\//, '').split('/') : response), 'content', 'application/json']
  if (!document.hasIn(content)) throw new Error(`no JSON response ${method} ${path} ${status} in the spec`)
  document.setIn([...content, 'examples', 'sandbox'], document.createNode({ $ref: `#/components/examples/${name}` }))
}
await writeFile(specFile, document.toString({ lineWidth: 0 }))
console.log(`wrote ${Object.keys(examples).length} examples into openapi/open-dcr.yaml`)

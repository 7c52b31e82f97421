import type { Command } from 'commander'
import { send } from '../cli-http.js'
import {
  type BrandContext,
  brandContext,
  brandHeaders,
  type KitFile,
  kitMetadata,
  kitRequest,
} from '../cli-register.js'
import { collect, jsonObject, list, readKit } from './options.js'
import { createOutput } from './output.js'

/** Options every `open-dcr client` command takes. */
interface ClientOptions {
  sandbox: string
  brand: string
  kit: string
  clientId: string
  token: string
  profile?: string
}

/** Options of `open-dcr client update`. */
interface UpdateOptions extends ClientOptions {
  redirectUris?: string[]
  metadata: Record<string, unknown>
  unset: string[]
}

const clientUrl = (context: BrandContext, clientId: string) =>
  `${context.config.registration_endpoint}/${encodeURIComponent(clientId)}`

/** One RFC 7592 call on the client's configuration endpoint, over the brand's TLS identity and signatures. */
async function manage(
  options: ClientOptions,
  method: string,
  build?: (kit: KitFile, context: BrandContext) => Promise<{ text: string; contentType: string }>,
) {
  const kit = await readKit(options.kit)
  const context = await brandContext(kit, options)
  const url = `${clientUrl(context, options.clientId)}${method === 'ROTATE' ? '/client-secret' : ''}`
  const verb = method === 'ROTATE' ? 'POST' : method
  const request = build ? await build(kit, context) : undefined
  const headers = {
    ...brandHeaders(kit, context, options.sandbox, { method: verb, url, body: request?.text ?? '' }),
    authorization: `Bearer ${options.token}`,
    ...(request ? { 'content-type': request.contentType } : {}),
  }
  return send(url, { method: verb, headers, ...(request ? { body: request.text } : {}), tls: context.tls })
}

/** What a read answers that an update must not send (RFC 7592 §2.2), or that the kit supplies itself. */
const notSentBack = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
  'client_secret',
  'software_statement',
]

/**
 * The client as registered now (RFC 7592 read), less what an update must not send, and the newest
 * registration access token (a read may issue one). Undefined when the brand does not answer reads.
 */
async function currentRegistration(options: ClientOptions) {
  const res = await manage(options, 'GET')
  if (res.status !== 200 || typeof res.body !== 'object' || res.body === null) {
    process.stderr.write(`open-dcr: could not read the client (HTTP ${res.status}); updating from the kit's metadata\n`)
    return undefined
  }
  const body = res.body as Record<string, unknown>
  const token = typeof body.registration_access_token === 'string' ? body.registration_access_token : options.token
  const metadata = Object.fromEntries(Object.entries(body).filter(([name]) => !notSentBack.includes(name)))
  return { metadata, token }
}

/**
 * The update's metadata: the client's current registration (the kit's defaults where the brand does
 * not answer reads), then `--metadata`, `--redirect-uris`, and `--unset` fields dropped.
 */
async function updatedMetadata(
  kit: KitFile,
  context: BrandContext,
  options: UpdateOptions,
  current: Record<string, unknown> = {},
) {
  const metadata = await kitMetadata(kit, context, {
    ...current,
    ...options.metadata,
    ...(options.redirectUris ? { redirect_uris: options.redirectUris } : {}),
  })
  for (const field of options.unset) delete metadata[field]
  return { ...metadata, client_id: options.clientId }
}

const common = (command: Command) =>
  command
    .requiredOption('--sandbox <url>', 'sandbox base URL (https:// for real mutual TLS)')
    .requiredOption('--brand <id>', 'brand id')
    .requiredOption('--kit <file>', 'kit JSON')
    .requiredOption('--client-id <id>', 'the registered client id')
    .requiredOption(
      '--token <token>',
      'the registration access token (the newest one: each answer may carry a new one) or an access token from `open-dcr token`',
    )
    .option('--profile <profile>', "ob-uk, rfc7591 or eidas: overrides the brand's description")

/** Adds `open-dcr client get|update|rotate|delete` (RFC 7592) to the program. */
export function addClientCommands(program: Command, json: () => boolean): void {
  const client = program
    .command('client')
    .description('read, update, rotate the secret of, or delete a client (RFC 7592)')
  common(client.command('get').description('read the client’s registration')).action(async (options: ClientOptions) =>
    createOutput(json()).finish(await manage(options, 'GET')),
  )
  common(
    client
      .command('update')
      .description('change the client’s registration: reads it, applies the changes, sends it whole'),
  )
    .option('--redirect-uris <uris>', 'comma-separated redirect URIs', list)
    .option('--metadata <json>', 'client metadata merged over the current registration', jsonObject, {})
    .option(
      '--unset <field>',
      'leave this metadata field out of the update, so the bank drops it (repeatable)',
      collect,
      [],
    )
    .action(async (options: UpdateOptions) => {
      const current = await currentRegistration(options)
      const res = await manage({ ...options, token: current?.token ?? options.token }, 'PUT', async (kit, context) =>
        kitRequest(kit, context, await updatedMetadata(kit, context, options, current?.metadata)),
      )
      createOutput(json()).finish(res)
    })
  common(client.command('rotate').description('issue a new client secret (POST …/client-secret)')).action(
    async (options: ClientOptions) => createOutput(json()).finish(await manage(options, 'ROTATE')),
  )
  common(client.command('delete').description('delete the client')).action(async (options: ClientOptions) =>
    createOutput(json()).finish(await manage(options, 'DELETE'), `deleted ${options.clientId}`),
  )
}

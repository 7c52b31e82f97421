#!/usr/bin/env node
import { readFile, writeFile } from 'node:fs/promises'
import { Command, InvalidArgumentError } from 'commander'
import { type CliResponse, send } from './cli-http.js'
import { certificateHeader, discovery, type KitFile, type RegisterOptions, registerKit, tlsOf } from './cli-register.js'
import { jwtBearerAssertionType, signClientAssertion } from './client-assertion.js'
import { signHttpRequest } from './http-signature.js'
import { signingKeyFromJwk } from './keys.js'
import { signKitDocumentRequest } from './registration-request.js'

const json = (value: string) => {
  try {
    return JSON.parse(value) as Record<string, unknown>
  } catch {
    throw new InvalidArgumentError('must be JSON')
  }
}
const readKit = async (path: string): Promise<KitFile> => JSON.parse(await readFile(path, 'utf8')) as KitFile
const print = (value: unknown) =>
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`)
const finish = (res: CliResponse) => {
  print(res.body)
  if (res.status >= 400) process.exitCode = 1
}
const signRequest = (kit: KitFile, audience: string, metadata: Record<string, unknown>) =>
  signKitDocumentRequest(kit, audience, metadata)

const program = new Command('open-dcr')
  .description(
    'Dynamic Client Registration from the TPP side: kits, signed requests, registration, tokens, HTTP signatures',
  )
  .version('0.1.0')

const kit = program.command('kit').description('TPP test kits')
kit
  .command('create')
  .description('create a kit at a sandbox (keys, SSA, certificates) and save it as JSON')
  .requiredOption('--sandbox <url>', 'sandbox base URL, e.g. http://127.0.0.1:8080')
  .option('--roles <roles>', 'comma-separated software roles', 'AISP,PISP,CBPII')
  .option('--out <file>', 'where to write the kit', 'kit.json')
  .action(async (options: { sandbox: string; roles: string; out: string }) => {
    const res = await send(`${options.sandbox.replace(/\/$/, '')}/sandbox/tpps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ roles: options.roles.split(',').map((role) => role.trim()) }),
    })
    if (res.status !== 201) return finish(res)
    await writeFile(options.out, JSON.stringify(res.body, null, 2), { mode: 0o600 })
    print({ software_id: (res.body as KitFile).software_id, written: options.out })
  })

program
  .command('sign-request')
  .description('print a signed UK OB registration request (JWT) made with the kit’s key')
  .requiredOption('--kit <file>', 'kit JSON')
  .requiredOption('--audience <aud>', "the bank's issuer URL or org id")
  .option('--metadata <json>', 'client metadata merged over the defaults', json, {})
  .action(async (options: { kit: string; audience: string; metadata: Record<string, unknown> }) => {
    print(await signRequest(await readKit(options.kit), options.audience, options.metadata))
  })

program
  .command('register')
  .description(
    'register the kit with a brand, building the request as the brand describes it in GET /brands (ob-uk: signed JWT; rfc7591: JSON; eidas: JSON signed with the QSEAL)',
  )
  .requiredOption('--sandbox <url>', 'sandbox base URL (https:// for real mutual TLS)')
  .requiredOption('--brand <id>', 'brand id')
  .requiredOption('--kit <file>', 'kit JSON')
  .option('--metadata <json>', 'client metadata merged over the defaults', json, {})
  .option(
    '--profile <profile>',
    "ob-uk, rfc7591 or eidas: overrides the brand's description (default: the brand's, else ob-uk)",
  )
  .option('--portal-token <token>', 'eidas: the DCR-service token of your portal app')
  .action(async (options: RegisterOptions & { kit: string }) => {
    finish(await registerKit(await readKit(options.kit), options))
  })

program
  .command('token')
  .description('get a client_credentials access token for a registered client')
  .requiredOption('--sandbox <url>', 'sandbox base URL')
  .requiredOption('--brand <id>', 'brand id')
  .requiredOption('--kit <file>', 'kit JSON')
  .requiredOption('--client-id <id>', 'the registered client id')
  .option('--client-secret <secret>', 'for client_secret_basic / client_secret_post')
  .option(
    '--method <method>',
    'private_key_jwt, tls_client_auth, client_secret_basic or client_secret_post',
    'private_key_jwt',
  )
  .option('--scope <scope>', 'requested scope (default: all registered)')
  .action(
    async (options: {
      sandbox: string
      brand: string
      kit: string
      clientId: string
      clientSecret?: string
      method: string
      scope?: string
    }) => {
      const tppKit = await readKit(options.kit)
      const tls = tlsOf(tppKit)
      const config = await discovery(options.sandbox, options.brand, tls)
      const form: Record<string, string> = {
        grant_type: 'client_credentials',
        ...(options.scope ? { scope: options.scope } : {}),
      }
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        ...certificateHeader(options.sandbox, tls),
      }
      if (options.method === 'client_secret_basic') {
        headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret ?? '')}`).toString('base64')}`
      } else if (options.method === 'client_secret_post') {
        Object.assign(form, { client_id: options.clientId, client_secret: options.clientSecret ?? '' })
      } else if (options.method === 'private_key_jwt') {
        const key = await signingKeyFromJwk(tppKit.signing.private_jwk)
        const assertion = await signClientAssertion({
          key: key.privateKey,
          alg: key.alg,
          clientId: options.clientId,
          audience: config.token_endpoint,
        })
        Object.assign(form, { client_assertion_type: jwtBearerAssertionType, client_assertion: assertion })
      } else {
        form.client_id = options.clientId
      }
      finish(
        await send(config.token_endpoint, { method: 'POST', headers, body: new URLSearchParams(form).toString(), tls }),
      )
    },
  )

program
  .command('http-sign')
  .description('print Date, Digest, Signature and TPP-Signature-Certificate for a request, signed with the kit’s QSEAL')
  .requiredOption('--kit <file>', 'kit JSON')
  .requiredOption('--method <method>', 'HTTP method')
  .requiredOption('--path <path>', 'path and query, e.g. /client/v1/register')
  .option('--body <text>', 'the exact request body', '')
  .option('--algorithm <alg>', 'rsa-sha256 or hs2019', 'rsa-sha256')
  .action(async (options: { kit: string; method: string; path: string; body: string; algorithm: string }) => {
    const tppKit = await readKit(options.kit)
    const seal = tppKit.qseal ?? { cert_pem: tppKit.transport.cert_pem, key_pem: tppKit.transport.key_pem }
    const signed = signHttpRequest({
      method: options.method,
      path: options.path,
      body: options.body,
      keyPem: seal.key_pem,
      certPem: seal.cert_pem,
      algorithm: options.algorithm === 'hs2019' ? 'hs2019' : 'rsa-sha256',
    })
    print({ signing_string: signed.signingString, headers: signed.headers })
  })

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`open-dcr: ${(err as Error).message}\n`)
  process.exitCode = 1
})

#!/usr/bin/env node
import { writeFile } from 'node:fs/promises'
import { Command } from 'commander'
import { addAuthorizeCommand } from './cli/authorize-command.js'
import { clientAuthentication } from './cli/client-authentication.js'
import { addClientCommands } from './cli/client-commands.js'
import { jsonObject as json, list, readKit } from './cli/options.js'
import { createOutput } from './cli/output.js'
import { send } from './cli-http.js'
import { brandContext, certificateHeader, type KitFile, type RegisterOptions, registerKit } from './cli-register.js'
import { signHttpRequest } from './http-signature.js'
import { signKitDocumentRequest } from './registration-request.js'

const print = (value: unknown) => createOutput(jsonOutput()).print(value)
const finish = (res: Parameters<ReturnType<typeof createOutput>['finish']>[0]) => createOutput(jsonOutput()).finish(res)
const signRequest = (kit: KitFile, audience: string, metadata: Record<string, unknown>) =>
  signKitDocumentRequest(kit, audience, metadata)

const program = new Command('open-dcr')
  .description(
    'Dynamic Client Registration from the TPP side: kits, signed requests, registration and its management (RFC 7592), portal apps, tokens, the authorization-code flow, HTTP signatures',
  )
  .version('0.1.0')
  .option('--json', 'print JSON (for scripts) instead of human-readable text')
const jsonOutput = () => program.opts<{ json?: boolean }>().json === true

const kit = program.command('kit').description('TPP test kits')
kit
  .command('create')
  .description('create a kit at a sandbox (keys, SSA, certificates) and save it as JSON')
  .requiredOption('--sandbox <url>', 'sandbox base URL, e.g. http://127.0.0.1:8080')
  .option('--roles <roles>', 'comma-separated software roles', 'AISP,PISP,CBPII')
  .option('--redirect-uris <uris>', 'comma-separated redirect URIs for the software statement', list)
  .option('--out <file>', 'where to write the kit', 'kit.json')
  .action(async (options: { sandbox: string; roles: string; out: string; redirectUris?: string[] }) => {
    const res = await send(`${options.sandbox.replace(/\/$/, '')}/sandbox/tpps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        roles: list(options.roles),
        ...(options.redirectUris ? { redirect_uris: options.redirectUris } : {}),
      }),
    })
    if (res.status !== 201) return finish(res)
    await writeFile(options.out, JSON.stringify(res.body, null, 2), { mode: 0o600 })
    print({ software_id: (res.body as KitFile).software_id, written: options.out })
  })

program
  .command('sign-request')
  .description('print a signed UK OB registration request (JWT) made with the kit’s key')
  .requiredOption('--kit <file>', 'kit JSON')
  .option('--audience <aud>', "the bank's issuer URL or org id (default: the brand's issuer, from discovery)")
  .option('--sandbox <url>', 'sandbox base URL, with --brand: read the audience from discovery')
  .option('--brand <id>', 'brand id, with --sandbox')
  .option('--metadata <json>', 'client metadata merged over the defaults', json, {})
  .action(
    async (options: {
      kit: string
      audience?: string
      sandbox?: string
      brand?: string
      metadata: Record<string, unknown>
    }) => {
      const tppKit = await readKit(options.kit)
      let audience = options.audience
      if (audience === undefined) {
        if (!options.sandbox || !options.brand) throw new Error('give --audience, or --sandbox and --brand')
        audience = (await brandContext(tppKit, { sandbox: options.sandbox, brand: options.brand })).config.issuer
      }
      const jwt = await signRequest(tppKit, audience, options.metadata)
      // People get the JWT alone (to pipe into a file); scripts get it named, with what to send it as.
      print(jsonOutput() ? { jwt, content_type: 'application/jose', aud: audience } : jwt)
    },
  )

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
      // The brand's TLS identity: the QWAC where it knows TPPs by certificate, so the token is bound to it.
      const { tls, config } = await brandContext(tppKit, options)
      const form: Record<string, string> = {
        grant_type: 'client_credentials',
        ...(options.scope ? { scope: options.scope } : {}),
      }
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        ...certificateHeader(options.sandbox, tls),
      }
      const auth = await clientAuthentication(tppKit, options, config.token_endpoint)
      Object.assign(form, auth.fields)
      Object.assign(headers, auth.headers)
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

program
  .command('portal-app')
  .description('developer-portal apps (DCR-service token holders for eIDAS brands)')
  .command('create')
  .description(
    'create a portal app at the sandbox; get its DCR-service token with `open-dcr token --method client_secret_basic`',
  )
  .requiredOption('--sandbox <url>', 'sandbox base URL')
  .option('--name <name>', 'the app name', 'TPP DCR app')
  .action(async (options: { sandbox: string; name: string }) => {
    finish(
      await send(`${options.sandbox.replace(/\/$/, '')}/sandbox/portal-apps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: options.name }),
      }),
    )
  })

addClientCommands(program, jsonOutput)
addAuthorizeCommand(program, jsonOutput)

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`open-dcr: ${(err as Error).message}\n`)
  process.exitCode = 1
})

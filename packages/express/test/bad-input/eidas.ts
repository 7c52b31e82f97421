import { type IssuedCertificate, issueQseal, issueQwac, type PspRole, signHttpRequest } from '@open-dcr/testkit'
import request from 'supertest'
import { sharedPki } from '../fixtures.js'
import type { Answer } from './answer.js'
import { bad, type Family } from './harness.js'
import { certificateHeader, portalToken, type Scene } from './scene.js'

/** An eIDAS TPP: its organizationIdentifier, QWAC and QSEAL from the shared CA (as QTSP). */
interface EidasTpp {
  organizationIdentifier: string
  qwac: IssuedCertificate
  qseal: IssuedCertificate
}

const tpps = new Map<string, Promise<EidasTpp>>()
/** One TPP per name and role set, made once: certificates take key generation. */
function tpp(name: string, roles: PspRole[] = ['PSP_AI']): Promise<EidasTpp> {
  const key = `${name}:${roles.join(',')}`
  let made = tpps.get(key)
  if (!made) {
    made = (async () => {
      const { ca } = await sharedPki()
      const identity = { organizationIdentifier: `PSDGB-FCA-${name}`, organizationName: `${name} Ltd`, roles }
      return {
        organizationIdentifier: identity.organizationIdentifier,
        qwac: issueQwac(ca, identity),
        qseal: issueQseal(ca, identity),
      }
    })()
    tpps.set(key, made)
  }
  return made
}

const path = '/bank/client/v1/register'

/** A call as an eIDAS TPP makes it: portal token, QWAC, and for state changes a QSEAL signature. */
async function call(
  scene: Scene,
  who: EidasTpp,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  target: string,
  body?: unknown,
  options: {
    seal?: IssuedCertificate | null
    token?: string | null
    qwac?: IssuedCertificate | null
    type?: string
  } = {},
): Promise<Answer> {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)
  let req = request(scene.bank.app)[method.toLowerCase() as 'get'](target)
  const qwac = options.qwac === undefined ? who.qwac : options.qwac
  if (qwac) req = req.set(certificateHeader, encodeURIComponent(qwac.certPem))
  if (options.token !== null) req = req.set('authorization', `Bearer ${options.token ?? portalToken}`)
  const seal = options.seal === undefined ? who.qseal : options.seal
  if (method !== 'GET' && seal) {
    const signed = signHttpRequest({
      method,
      path: target,
      body: text,
      keyPem: seal.keyPem,
      certPem: seal.certPem,
      now: scene.bank.clock.now,
    })
    for (const [name, value] of Object.entries(signed.headers)) req = req.set(name, value)
  }
  return body === undefined ? req : req.set('content-type', options.type ?? 'application/json').send(text)
}

/** The registration an eIDAS TPP sends, with `extra` over it. */
const registration = (who: EidasTpp, extra: Record<string, unknown> = {}) => ({
  iss: who.organizationIdentifier,
  client_name: 'Corporate app',
  redirect_uris: ['https://tpp.example/cb'],
  ...extra,
})

/** Registers the main TPP's client and keeps its id in the scene's notes. */
async function registered(scene: Scene): Promise<void> {
  const who = await tpp('main')
  const res = await call(scene, who, 'POST', path, registration(who))
  if (res.status !== 201) throw new Error(`arranging an eIDAS client failed: ${res.text}`)
  const body = res.body as { client_id: string; client_secret: string }
  scene.notes.clientId = body.client_id
  scene.secrets.push(body.client_secret)
}

const registering =
  (
    extra: Record<string, unknown> | ((who: EidasTpp) => Record<string, unknown>),
    options: Parameters<typeof call>[5] = {},
    name = 'main',
    roles?: PspRole[],
  ) =>
  async (s: Scene) => {
    const who = await tpp(name, roles)
    return call(s, who, 'POST', path, registration(who, typeof extra === 'function' ? extra(who) : extra), options)
  }
const client = (s: Scene) => `${path}/${s.notes.clientId}`

/** The eIDAS profile: portal token, QWAC identity and roles, QSEAL signatures, organisation ownership. */
export const eidas: Family = {
  name: 'eIDAS registrations',
  bank: 'eidas',
  cases: [
    bad(
      'no developer-portal token',
      [401, 'invalid_token', /an Authorization: Bearer token is required/],
      registering({}, { token: null }),
    ),
    bad(
      'a developer-portal token nobody issued',
      [401, 'invalid_token', /a valid developer-portal \(DCR service\) token is required/],
      registering({}, { token: 'made-up' }),
    ),
    bad(
      'no QWAC',
      [401, 'invalid_client', /a client certificate is required \(mutual TLS\)/],
      registering({}, { qwac: null }),
    ),
    bad(
      'a TLS certificate without eIDAS identity',
      [401, 'invalid_client', /eIDAS QWAC with organizationIdentifier and a PSD2 QC statement is required/],
      async (s) => {
        const { ca } = await sharedPki()
        const who = await tpp('main')
        // An OB transport certificate and a seal of the same organisation: the signature holds, the identity does not.
        const ob = ca.issueTransportCertificate({ orgId: 'org', softwareId: 'soft' })
        const seal = ca.issueSigningCertificate({ orgId: 'org', softwareId: 'soft' })
        return call(s, who, 'POST', path, registration(who), { qwac: ob, seal })
      },
    ),
    bad(
      'iss of another organisation',
      [
        400,
        'invalid_client_metadata',
        /"iss" must be the QWAC's organizationIdentifier "PSDGB-FCA-main"; received "PSDGB-FCA-999"/,
      ],
      registering({ iss: 'PSDGB-FCA-999' }),
    ),
    bad(
      'no iss',
      [400, 'invalid_client_metadata', /"iss" must be the QWAC's organizationIdentifier .*; received null/],
      registering({ iss: undefined }),
    ),
    bad(
      'iss an object with its own toString',
      [400, 'invalid_client_metadata', /received an object/],
      registering({ iss: { toString: 1 } }),
    ),
    bad(
      'iss nested 5,000 deep',
      [400, 'invalid_client_metadata', /"iss" must be the QWAC's organizationIdentifier .*; received an array/],
      (s) =>
        tpp('main').then((who) =>
          call(
            s,
            who,
            'POST',
            path,
            `{"iss":${'['.repeat(5000)}${']'.repeat(5000)},"redirect_uris":["https://tpp.example/cb"]}`,
          ),
        ),
    ),
    bad(
      'a scope its roles do not grant',
      [400, 'invalid_client_metadata', /scope payments is not allowed by software_roles \[PSP_AI\]/],
      registering({ scope: 'openid payments' }),
    ),
    bad(
      'a QWAC with no PSD2 role',
      [400, 'invalid_client_metadata', /the QWAC grants no PSD2 role/],
      registering({}, {}, 'no-roles', []),
    ),
    bad(
      'a QSEAL of another organisation',
      [401, 'invalid_client', /the QSEAL belongs to "PSDGB-FCA-stranger", the TLS certificate to "PSDGB-FCA-main"/],
      async (s) => registering({}, { seal: (await tpp('stranger')).qseal })(s),
    ),
    bad('no signature', [401, 'invalid_client', /the Signature header is missing/], registering({}, { seal: null })),
    bad(
      'text/plain',
      [415, 'invalid_request', /content type must be application\/json/],
      registering({}, { type: 'text/plain' }),
    ),
    bad(
      'a software statement in the body is not an identity',
      [400, 'invalid_client_metadata', /"iss" must be the QWAC's organizationIdentifier/],
      async (s) => registering({ iss: 'PSDGB-FCA-999', software_statement: s.kit.softwareStatement })(s),
    ),
    bad(
      'another organisation reading the client',
      [403, 'insufficient_scope', /the client belongs to another organisation than the presented certificate/],
      async (s) => call(s, await tpp('stranger'), 'GET', client(s)),
      { arrange: registered },
    ),
    bad(
      'another organisation deleting the client',
      [403, 'insufficient_scope', /another organisation/],
      async (s) => call(s, await tpp('stranger'), 'DELETE', client(s)),
      { arrange: registered },
    ),
    bad(
      'a delete without a signature',
      [401, 'invalid_client', /the Signature header is missing/],
      async (s) => call(s, await tpp('main'), 'DELETE', client(s), undefined, { seal: null }),
      { arrange: registered },
    ),
    bad(
      'a read without the portal token',
      [401, 'invalid_token', /Bearer token is required/],
      async (s) => call(s, await tpp('main'), 'GET', client(s), undefined, { token: null }),
      { arrange: registered },
    ),
    bad(
      'an update to another organisation’s iss',
      [400, 'invalid_client_metadata', /"iss" must be the QWAC's organizationIdentifier/],
      async (s) => {
        const who = await tpp('main')
        return call(s, who, 'PUT', client(s), registration(who, { iss: 'PSDGB-FCA-stranger' }))
      },
      { arrange: registered },
    ),
  ],
}

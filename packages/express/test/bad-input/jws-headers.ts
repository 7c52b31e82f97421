import { generateSigningKey, signRegistrationRequest, toJwks } from '@open-dcr/testkit'
import { exportJWK } from 'jose'
import { issuer, sharedPki } from '../fixtures.js'
import { bad, type Family } from './harness.js'
import { b64, forged, post, requestClaims, signed, signedRaw } from './requests.js'
import type { Scene } from './scene.js'

const refused = 'invalid_client_metadata'
const notCompact = /registration request is not a compact JWS \(header.payload.signature\)/
const noExtensions = /registration request header has "crit"; no JWS extensions are supported/

/** A request signed by an attacker's own key, which it tries to have the bank trust through a header member. */
async function byAttacker(
  scene: Scene,
  header: (key: Awaited<ReturnType<typeof generateSigningKey>>) => Promise<Record<string, unknown>>,
) {
  const attacker = await generateSigningKey('PS256')
  return post(
    scene,
    await signRegistrationRequest({
      key: attacker.privateKey,
      kid: scene.kit.signingKey.kid,
      softwareId: scene.kit.softwareId,
      softwareStatement: scene.kit.softwareStatement,
      audience: issuer,
      now: scene.bank.clock.now,
      header: await header(attacker),
    }),
  )
}

/** Family 2: what the request's JWS header may not do, and JWS that are not well formed. */
export const jwsHeaders: Family = {
  name: 'JWS header and alg tricks',
  bank: 'obUk',
  cases: [
    bad('alg none, no signature', [400, refused, /alg "none" is not allowed; use one of PS256, ES256/], (s) =>
      post(s, forged(s, { alg: 'none', typ: 'JWT' }, '')),
    ),
    bad('alg NONE', [400, refused, /alg "NONE" is not allowed/], (s) => post(s, forged(s, { alg: 'NONE' }, ''))),
    bad('alg missing', [400, refused, /alg "undefined" is not allowed/], (s) => post(s, forged(s, { typ: 'JWT' }))),
    bad('alg empty', [400, refused, /alg "" is not allowed/], (s) => post(s, forged(s, { alg: '' }))),
    bad('alg null', [400, refused, /alg "null" is not allowed/], (s) => post(s, forged(s, { alg: null }))),
    bad('alg a number', [400, refused, /alg "256" is not allowed/], (s) => post(s, forged(s, { alg: 256 }))),
    bad('alg an array', [400, refused, /is not allowed/], (s) => post(s, forged(s, { alg: ['PS256'] }))),
    bad('alg an array nested 20,000 deep', [400, refused, /is not allowed/], (s) =>
      post(s, forged(s, `{"alg":${'['.repeat(20_000)}${']'.repeat(20_000)}}`)),
    ),
    bad('HS256 keyed with the public JWK', [400, refused, /alg "HS256" is not allowed/], async (s) =>
      post(
        s,
        await signRegistrationRequest({
          key: new TextEncoder().encode(JSON.stringify(s.kit.signingKey.publicJwk)),
          alg: 'HS256',
          kid: s.kit.signingKey.kid,
          softwareId: s.kit.softwareId,
          softwareStatement: s.kit.softwareStatement,
          audience: issuer,
          now: s.bank.clock.now,
        }),
      ),
    ),
    bad('HS512', [400, refused, /alg "HS512" is not allowed/], (s) => post(s, forged(s, { alg: 'HS512' }))),
    bad('RS256 where the brand allows PS256 and ES256', [400, refused, /alg "RS256" is not allowed/], async (s) =>
      post(s, await signed(s, { header: { alg: 'RS256' } })),
    ),
    bad(
      'RS256 at a brand that allows it, with a key published for PS256',
      [400, refused, /signed with a key that is not in the trusted key set/],
      async (s) => post(s, await signed(s, { header: { alg: 'RS256' } })),
      { options: { signingAlgorithms: ['PS256', 'ES256', 'RS256'] } },
    ),
    bad(
      'ES256 where the brand allows only PS256',
      [400, refused, /alg "ES256" is not allowed; use one of PS256$/],
      (s) => post(s, forged(s, { alg: 'ES256' })),
      { options: { signingAlgorithms: ['PS256'] } },
    ),
    bad('PS384', [400, refused, /alg "PS384" is not allowed/], (s) => post(s, forged(s, { alg: 'PS384' }))),
    bad('EdDSA', [400, refused, /alg "EdDSA" is not allowed/], (s) => post(s, forged(s, { alg: 'EdDSA' }))),
    bad('jku pointing at the attacker’s key set', [400, refused, /signature does not verify/], (s) =>
      byAttacker(s, async (key) => {
        const { jwks } = await sharedPki()
        jwks.publish(`attacker-${key.kid}`, toJwks(key))
        return { jku: jwks.endpoint(`attacker-${key.kid}`) }
      }),
    ),
    bad('x5u pointing at the attacker’s certificate', [400, refused, /signature does not verify/], (s) =>
      byAttacker(s, async () => ({ x5u: 'https://attacker.example/cert.pem' })),
    ),
    bad('x5c carrying a certificate for the attacker’s key', [400, refused, /signature does not verify/], (s) =>
      byAttacker(s, async () => ({ x5c: [s.kit.transport.certPem.replace(/-----[A-Z ]+-----|\s/g, '')] })),
    ),
    bad('jwk embedding the attacker’s public key', [400, refused, /signature does not verify/], (s) =>
      byAttacker(s, async (key) => ({ jwk: await exportJWK(key.publicKey) })),
    ),
    bad('crit naming an unknown extension', [400, refused, noExtensions], (s) =>
      post(s, signedRaw(s, { crit: ['urn:example:ext'], 'urn:example:ext': true }, b64(requestClaims(s)))),
    ),
    bad('crit naming a registered member', [400, refused, noExtensions], (s) =>
      post(s, signedRaw(s, { crit: ['alg'] }, b64(requestClaims(s)))),
    ),
    bad('crit empty', [400, refused, noExtensions], (s) => post(s, signedRaw(s, { crit: [] }, b64(requestClaims(s))))),
    bad('crit not an array', [400, refused, noExtensions], (s) =>
      post(s, signedRaw(s, { crit: 'b64' }, b64(requestClaims(s)))),
    ),
    bad('b64 false with crit over a base64url payload', [400, refused, noExtensions], (s) =>
      post(s, signedRaw(s, { b64: false, crit: ['b64'] }, b64(requestClaims(s)))),
    ),
    bad('b64 false with crit, payload unencoded', [400, refused, notCompact], (s) =>
      post(s, signedRaw(s, { b64: false, crit: ['b64'] }, JSON.stringify(requestClaims(s)))),
    ),
    bad('b64 false without crit, payload unencoded', [400, refused, notCompact], (s) =>
      post(s, signedRaw(s, { b64: false }, JSON.stringify(requestClaims(s)))),
    ),
    bad(
      'kid of a key the software does not publish',
      [400, refused, /signed with a key that is not in the trusted key set/],
      async (s) => post(s, await signed(s, { header: { kid: 'not-a-published-kid' } })),
    ),
    bad('two segments', [400, refused, notCompact], (s) =>
      post(s, forged(s, { alg: 'PS256' }).split('.').slice(0, 2).join('.')),
    ),
    bad('four segments', [400, refused, notCompact], (s) => post(s, `${forged(s, { alg: 'PS256' })}.c2ln`)),
    bad('five segments (a JWE)', [400, refused, notCompact], (s) =>
      post(s, `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`),
    ),
    bad('an empty header segment', [400, refused, notCompact], (s) => post(s, `.${b64(requestClaims(s))}.c2ln`)),
    bad('a header that is not base64url', [400, refused, notCompact], (s) =>
      post(s, `!!!.${b64(requestClaims(s))}.c2ln`),
    ),
    bad('a header that is not JSON', [400, refused, notCompact], (s) =>
      post(s, `${b64('{alg:PS256}')}.${b64(requestClaims(s))}.c2ln`),
    ),
    bad('a header that is a JSON array', [400, refused, notCompact], (s) => post(s, forged(s, [{ alg: 'PS256' }]))),
    bad('a header that is a JSON string', [400, refused, notCompact], (s) => post(s, forged(s, '"PS256"'))),
    bad('a payload that is not JSON', [400, refused, /payload is not a JSON claims set/], (s) =>
      post(s, `${b64({ alg: 'PS256' })}.${b64('not json')}.c2ln`),
    ),
    bad('a payload that is a JSON array', [400, refused, /payload is not a JSON claims set/], (s) =>
      post(s, `${b64({ alg: 'PS256' })}.${b64([1, 2])}.c2ln`),
    ),
    bad('an empty signature', [400, refused, /not a well-formed signed JWT|signature/], async (s) =>
      post(s, `${(await signed(s)).split('.').slice(0, 2).join('.')}.`),
    ),
    bad('a signature that is not base64url', [400, refused, /not a well-formed signed JWT/], async (s) =>
      post(s, `${(await signed(s)).split('.').slice(0, 2).join('.')}.%%%`),
    ),
    bad('a tampered payload', [400, refused, /signature does not verify/], async (s) => {
      const [header, , signature] = (await signed(s)).split('.')
      return post(s, `${header}.${b64(requestClaims(s, { scope: 'openid accounts payments' }))}.${signature}`)
    }),
    bad('whitespace inside the JWS', [400, refused], async (s) => post(s, (await signed(s)).replace('.', ' .'))),
  ],
}

import { sign as cryptoSign, generateKeyPairSync } from 'node:crypto'
import { generateSigningKey, type SigningKey, toJwks } from '@open-dcr/testkit'
import fc from 'fast-check'
import { createLocalJWKSet, exportJWK, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { CheckError } from '../../src/index.js'
import { decodeCompactJwt, validateJwtClaims, verifyJwtSignature } from '../../src/verify/jwt.js'

const errs = { code: 'ERR_DCR_REQUEST_OBJECT_INVALID', subject: 'request object', what: 'token' } as const
const algs = ['PS256', 'ES256', 'RS256']
let ps: SigningKey
let es: SigningKey
beforeAll(async () => {
  ;[ps, es] = await Promise.all([generateSigningKey('PS256'), generateSigningKey('ES256')])
})

const sign = (key: SigningKey, claims: JWTPayload = {}, header: Record<string, unknown> = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, ...(key.kid ? { kid: key.kid } : {}), ...header })
    .sign(key.privateKey)

const outcome = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (err: unknown) =>
      err instanceof CheckError && err.code === errs.code && err.subject === errs.subject
        ? err.message
        : `not a CheckError of ${errs.code}: ${String(err)}`,
  )

describe('verifyJwtSignature (node:crypto behind jose key selection)', () => {
  it('verifies PS256 and ES256 with the key jose selects by kid', async () => {
    const keys = createLocalJWKSet(toJwks(ps, es))
    for (const key of [ps, es]) {
      const decoded = decodeCompactJwt(await sign(key, { a: 1 }), algs, errs)
      expect(await outcome(verifyJwtSignature(decoded, keys, errs))).toBe('ok')
    }
  })

  it('tries every candidate when the header has no kid', async () => {
    const other = await generateSigningKey('PS256')
    const { kid: _a, ...first } = other.publicJwk
    const { kid: _b, ...second } = ps.publicJwk
    const keys = createLocalJWKSet({ keys: [first, second] })
    const decoded = decodeCompactJwt(
      await new SignJWT({}).setProtectedHeader({ alg: 'PS256' }).sign(ps.privateKey),
      algs,
      errs,
    )
    expect(await outcome(verifyJwtSignature(decoded, keys, errs))).toBe('ok')
  })

  it('refuses a tampered payload, another key, and an RSA key under 2048 bits', async () => {
    const keys = createLocalJWKSet(toJwks(ps))
    const [h, , s] = (await sign(ps, { a: 1 })).split('.')
    const tampered = `${h}.${Buffer.from('{"a":2}').toString('base64url')}.${s}`
    expect(await outcome(verifyJwtSignature(decodeCompactJwt(tampered, algs, errs), keys, errs))).toMatch(
      /signature does not verify/,
    )
    const stranger = await generateSigningKey('PS256')
    const byStranger = decodeCompactJwt(await sign({ ...stranger, kid: ps.kid }), algs, errs)
    expect(await outcome(verifyJwtSignature(byStranger, keys, errs))).toMatch(/signature does not verify/)

    const small = generateKeyPairSync('rsa', { modulusLength: 1024 })
    const jwk = { ...(await exportJWK(small.publicKey)), kid: 'small', alg: 'RS256' }
    // jose will not sign with such a key; node:crypto will, as an attacker's tool would.
    const input = `${Buffer.from('{"alg":"RS256","kid":"small"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}`
    const weak = `${input}.${cryptoSign('sha256', Buffer.from(input), small.privateKey).toString('base64url')}`
    expect(
      await outcome(verifyJwtSignature(decodeCompactJwt(weak, algs, errs), createLocalJWKSet({ keys: [jwk] }), errs)),
    ).not.toBe('ok')
  })

  it('answers "no key" in jose’s words when the kid is unknown', async () => {
    const decoded = decodeCompactJwt(await sign({ ...ps, kid: 'unknown' }), algs, errs)
    expect(await outcome(verifyJwtSignature(decoded, createLocalJWKSet(toJwks(ps)), errs))).toMatch(
      /not in the trusted key set/,
    )
  })
})

describe('validateJwtClaims decides as jose’s jwtVerify does', () => {
  it('for random iss, aud, exp, nbf and iat around now (property, compared with jose)', async () => {
    const keys = createLocalJWKSet(toJwks(ps))
    const now = 1_800_000_000
    const offset = fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined })
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          iss: fc.option(fc.constantFrom('soft1', 'soft2'), { nil: undefined }),
          aud: fc.option(
            fc.oneof(fc.constantFrom('a', 'b', 'x'), fc.array(fc.constantFrom('a', 'x'), { maxLength: 3 })),
            {
              nil: undefined,
            },
          ),
          exp: offset,
          nbf: offset,
          iat: offset,
        }),
        async ({ iss, aud, exp, nbf, iat }) => {
          const claims: JWTPayload = {
            ...(iss === undefined ? {} : { iss }),
            ...(aud === undefined ? {} : { aud }),
            ...(exp === undefined ? {} : { exp: now + exp }),
            ...(nbf === undefined ? {} : { nbf: now + nbf }),
            ...(iat === undefined ? {} : { iat: now + iat }),
          }
          const jwt = await sign(ps, claims)
          const rules = {
            issuer: 'soft1',
            audiences: ['a', 'b'],
            requiredClaims: ['exp'],
            maxAge: 300,
            clockTolerance: 30,
          }
          const jose = await jwtVerify(jwt, keys, {
            issuer: rules.issuer,
            audience: rules.audiences,
            requiredClaims: rules.requiredClaims,
            maxTokenAge: rules.maxAge,
            clockTolerance: rules.clockTolerance,
            currentDate: new Date(now * 1000),
          }).then(
            () => true,
            () => false,
          )
          const ours = await outcome(
            (async () =>
              validateJwtClaims(decodeCompactJwt(jwt, algs, errs).payload, { ...rules, now: now * 1000 }, errs))(),
          )
          expect(ours === 'ok', `${JSON.stringify(claims)} → ${ours}`).toBe(jose)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('refuses non-numeric time claims', () => {
    expect(() =>
      validateJwtClaims({ exp: '1800000000' } as unknown as JWTPayload, { clockTolerance: 0, now: 0 }, errs),
    ).toThrow(/invalid "exp" claim: it must be a number/)
  })
})

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toErrorResponse } from '../../src/index.js'
import { readJwsHeader } from '../../src/verify/jws-header.js'
import { assertProperty, outcome } from '../property.js'

const algorithms = ['PS256', 'ES256']
const b64 = (text: string) => Buffer.from(text).toString('base64url')

/** Header member names, including the ones that matter and the ones that name Object.prototype members. */
const memberName = fc.constantFrom(
  'alg',
  'kid',
  'typ',
  'crit',
  'b64',
  'jku',
  'x5u',
  'x5c',
  'jwk',
  'cty',
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
)
/** An alg value: allowed, refused, of every JSON type, or nested thousands deep (as raw JSON text). */
const algText = fc.oneof(
  fc.constantFrom(
    '"PS256"',
    '"ES256"',
    '"none"',
    '"HS256"',
    '"RS256"',
    '"ps256"',
    '""',
    'null',
    '256',
    'true',
    '{"toString":1}',
    '{"toString":null,"valueOf":null}',
  ),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.integer({ min: 1, max: 40_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
)
/** A header as JSON text: members with any values, alg among them or not. */
const headerText = fc.oneof(
  fc
    .tuple(algText, fc.dictionary(memberName, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }))
    .map(([alg, rest]) => `{"alg":${alg}${Object.keys(rest).length ? `,${JSON.stringify(rest).slice(1, -1)}` : ''}}`),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string(),
)
/** A segment: base64url of a header (or of anything), or raw text. */
const segment = fc.oneof(headerText.map(b64), fc.string().map(b64), fc.string(), fc.constant(''))
/** A JWS a TPP would send: an allowed alg, some harmless members, any payload and signature. */
const wellFormed = fc
  .tuple(
    fc.constantFrom('PS256', 'ES256'),
    fc.dictionary(fc.constantFrom('kid', 'typ', 'cty', 'jku', 'x5u'), fc.string(), { maxKeys: 3 }),
    fc.string().map(b64),
    fc.base64String().map((text) => text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')),
  )
  .map(([alg, members, payload, signature]) => `${b64(JSON.stringify({ alg, ...members }))}.${payload}.${signature}`)
/** A compact JWS, or something shaped like one: 0 to 6 segments. */
const jws = fc.oneof(
  wellFormed,
  fc.tuple(headerText.map(b64), segment, segment).map((parts) => parts.join('.')),
  fc.array(segment, { maxLength: 6 }).map((parts) => parts.join('.')),
  fc.string({ unit: 'binary', maxLength: 200 }),
)

const statement = {
  code: 'ERR_DCR_SOFTWARE_STATEMENT_INVALID',
  subject: 'software statement',
  what: 'statement',
} as const

describe('readJwsHeader, for any input', () => {
  it('returns a header with an allowed alg and no crit, or throws a CheckError with the given code, each call within 1 s', () => {
    assertProperty(jws, (input) => {
      const result = outcome(() => readJwsHeader(input, algorithms, statement), input)
      if ('error' in result) {
        expect(result.error).toMatchObject({ code: statement.code, subject: statement.subject })
        expect(toErrorResponse(result.error).body.error).toBe('invalid_software_statement')
        return false
      }
      expect(algorithms).toContain(result.value.alg)
      expect(result.value.crit).toBeUndefined()
      expect(input.split('.')).toHaveLength(3)
      return true
    })
  })
})

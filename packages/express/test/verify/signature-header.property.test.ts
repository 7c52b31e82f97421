import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSignatureHeader } from '../../src/index.js'
import { expectCheck } from '../check-error.js'
import { assertProperty, outcome } from '../property.js'

/** Parameter names: the six known (in any case), unknown ones, Object.prototype members, garbage. */
const name = fc.oneof(
  fc.constantFrom('keyId', 'keyid', 'KEYID', 'algorithm', 'headers', 'signature', 'created', 'expires'),
  fc.constantFrom('nonce', 'tag', 'constructor', '__proto__', 'toString', 'hasOwnProperty', ''),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,12}$/),
)
/** Values: quoted (with escapes, quotes, backslashes), bare integers of any length, or raw text. */
const value = fc.oneof(
  fc.string({ maxLength: 40 }).map((text) => `"${text}"`),
  fc.string({ maxLength: 40 }).map((text) => `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`),
  fc.constantFrom(
    '"(request-target) date digest"',
    '"(created) (expires)"',
    '"date date"',
    '""',
    '"YWJj"',
    '"@@"',
    '"\\"',
  ),
  fc.stringMatching(/^\d{0,20}$/),
  fc.string({ maxLength: 10 }),
)
const space = fc.constantFrom('', ' ', '  ', '\t', ' \t ')
/** A parameter list as signers write it, with stray spaces and separators. */
const parameters = fc
  .array(fc.tuple(space, name, space, value, space), { maxLength: 9 })
  .chain((params) =>
    fc
      .constantFrom(',', ', ', ' ,', ';', '')
      .map((separator) => params.map(([a, n, b, v, c]) => `${a}${n}${b}=${v}${c}`).join(separator)),
  )
/** A header a signer would send: the required parameters, some optional ones, in any order. */
const wellFormed = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 30 }).map((id) => `keyId="${id.replace(/["\\]/g, (c) => `\\${c}`)}"`),
    fc
      .base64String({ minLength: 4, maxLength: 40 })
      .filter((text) => text.length > 0)
      .map((sig) => `signature="${sig}"`),
    fc.option(
      fc.constantFrom('rsa-sha256', 'hs2019', 'hmac-sha256').map((alg) => `algorithm="${alg}"`),
      { nil: undefined },
    ),
    fc.option(
      fc
        .uniqueArray(
          fc.constantFrom('(request-target)', '(created)', '(expires)', 'date', 'digest', 'Host', 'x-request-id'),
          { minLength: 1 },
        )
        .map((names) => `headers="${names.join(' ')}"`),
      { nil: undefined },
    ),
    fc.option(
      fc.integer({ min: 0, max: 2 ** 40 }).map((t) => `created=${t}`),
      { nil: undefined },
    ),
    fc.option(
      fc.integer({ min: 0, max: 2 ** 40 }).map((t) => `expires="${t}"`),
      { nil: undefined },
    ),
  )
  .chain((params) =>
    fc.shuffledSubarray(
      params.filter((p) => p !== undefined),
      { minLength: params.filter((p) => p !== undefined).length },
    ),
  )
  .map((params) => params.join(', '))
const header = fc.oneof(
  wellFormed,
  parameters,
  fc.string(),
  fc.stringMatching(/^[a-zA-Z=", ()0-9+/-]{0,60}$/),
  fc
    .integer({ min: 8000, max: 9000 })
    .map((length) => `keyId="k",signature="YWJj",headers="${'a '.repeat(length / 2)}"`),
)

describe('parseSignatureHeader, for any input', () => {
  it('returns well-formed parameters or throws ERR_DCR_HTTP_SIGNATURE_INVALID (400 invalid_request), each call within 1 s', () => {
    assertProperty(header, (input) => {
      const result = outcome(() => parseSignatureHeader(input), input)
      if ('error' in result) {
        expectCheck(result.error, 'ERR_DCR_HTTP_SIGNATURE_INVALID', 'HTTP signature', {
          status: 400,
          error: 'invalid_request',
        })
        expect(result.error.message).toMatch(/^Signature header: /)
        return false
      }
      const parsed = result.value
      expect(input.length).toBeLessThanOrEqual(8192)
      expect(parsed.keyId.length).toBeGreaterThan(0)
      expect(Buffer.isBuffer(parsed.signature)).toBe(true)
      expect(parsed.headers.length).toBeGreaterThan(0)
      expect(new Set(parsed.headers).size).toBe(parsed.headers.length)
      for (const covered of parsed.headers) expect(covered).toBe(covered.toLowerCase())
      for (const time of [parsed.created, parsed.expires])
        if (time !== undefined) expect(Number.isSafeInteger(time)).toBe(true)
      return true
    })
  })
})

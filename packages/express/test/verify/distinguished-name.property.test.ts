import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatDistinguishedName, parseDistinguishedName, sameDistinguishedName } from '../../src/index.js'
import { expectCheck } from '../check-error.js'
import { assertProperty, outcome } from '../property.js'

/** Attribute types: names in any case, OIDs, Object.prototype members, and near misses. */
const type = fc.oneof(
  fc.constantFrom(
    'CN',
    'cn',
    'O',
    'OU',
    'C',
    'L',
    'ST',
    'DC',
    'UID',
    'serialNumber',
    'emailAddress',
    'organizationIdentifier',
  ),
  fc.constantFrom('2.5.4.3', '2.5.4.97', '1.2.840.113549.1.9.1', '1.', '.1', '1..2', '01.2'),
  fc.constantFrom('constructor', 'toString', '__proto__', 'hasOwnProperty', 'FOO', ''),
  fc.stringMatching(/^[A-Za-z0-9.-]{0,8}$/),
)
/** Value pieces: plain text, RFC 4514 escapes (good, truncated, multi-byte), quotes, specials, hex starts. */
const piece = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(
    '\\,',
    '\\+',
    '\\"',
    '\\\\',
    '\\#',
    '\\ ',
    '\\2C',
    '\\2c',
    '\\c3\\a9',
    '\\e2\\82\\ac',
    '\\f0\\9f\\98\\80',
    '\\c3',
    '\\e2\\82',
    '\\',
    '\\zz',
    '\\4z',
  ),
  fc.constantFrom(
    '"',
    '""',
    '#',
    '# ',
    '#04',
    '=',
    '<',
    '>',
    ';',
    '+',
    ',',
    ' ',
    '  ',
    '\t',
    '\u00e9',
    '\u202e',
    '\u0000',
  ),
)
const value = fc.array(piece, { maxLength: 5 }).map((pieces) => pieces.join(''))
const equals = fc.constantFrom('=', ' =', '= ', ' = ', '=  ')
const attribute = fc.tuple(type, equals, value).map(([t, e, v]) => `${t}${e}${v}`)
const rdn = fc
  .array(attribute, { minLength: 1, maxLength: 3 })
  .chain((attributes) => fc.constantFrom('+', ' + ').map((plus) => attributes.join(plus)))
const dn = fc
  .array(rdn, { maxLength: 5 })
  .chain((rdns) => fc.constantFrom(',', ', ', ';', ' , ').map((separator) => rdns.join(separator)))
/** DNs as TLS terminators print them, which should mostly parse. */
const printed = fc
  .array(
    fc.tuple(
      fc.constantFrom('CN', 'OU', 'O', 'C', 'organizationIdentifier', '2.5.4.97'),
      fc.stringMatching(/^[A-Za-z0-9 .-]{1,12}$/),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((pairs) => pairs.map(([t, v]) => `${t}=${v.trim() || 'x'}`).join(', '))
const text = fc.oneof(
  printed,
  dn,
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.stringMatching(/^[A-Za-z0-9=,+\\#"<>; .-]{0,40}$/),
  fc.string({ minLength: 1000, maxLength: 1100 }),
)

describe('parseDistinguishedName, for any input', () => {
  it('returns RDNs of OID-typed, non-empty values that survive formatting, or throws ERR_DCR_DISTINGUISHED_NAME_INVALID (invalid_client_metadata), each call within 1 s', () => {
    assertProperty(text, (input) => {
      const result = outcome(() => parseDistinguishedName(input), input)
      if ('error' in result) {
        expectCheck(result.error, 'ERR_DCR_DISTINGUISHED_NAME_INVALID', 'client metadata', {
          status: 400,
          error: 'invalid_client_metadata',
        })
        return false
      }
      const parsed = result.value
      expect(parsed.length).toBeGreaterThan(0)
      for (const attributes of parsed) {
        expect(attributes.length).toBeGreaterThan(0)
        for (const { type: oid, value: v } of attributes) {
          expect(oid).toMatch(/^\d+(\.\d+)+$/)
          expect(v.length).toBeGreaterThan(0)
        }
      }
      const again = outcome(() => parseDistinguishedName(formatDistinguishedName(parsed)), parsed)
      expect(again).toHaveProperty('value')
      if ('value' in again) expect(sameDistinguishedName(again.value, parsed, { anyOrder: false })).toBe(true)
      return true
    })
  })
})

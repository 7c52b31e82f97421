import { afterAll, describe, expect, it } from 'vitest'
import { sharedPki } from '../fixtures.js'
import { bodies } from './bodies.js'
import { clientCertificates } from './client-certificates.js'
import { eidas } from './eidas.js'
import { expectRefused, type Family } from './harness.js'
import { httpSignatures } from './http-signatures.js'
import { jwsHeaders } from './jws-headers.js'
import { management } from './management.js'
import { metadata } from './metadata.js'
import { prototypeKeys } from './prototype-keys.js'
import { redirectUris } from './redirect-uris.js'
import { softwareStatements } from './software-statements.js'
import { timeClaims } from './time-claims.js'

afterAll(async () => (await sharedPki()).jwks.close())

/**
 * Issue 9: every bad input is a 4xx with its RFC 7591/6749/6750 code, leaks nothing, stores nothing
 * and leaves no replay claim. One table per family; each row runs against a fresh bank.
 */
const families: Family[] = [
  timeClaims,
  jwsHeaders,
  bodies,
  clientCertificates,
  redirectUris,
  prototypeKeys,
  metadata,
  softwareStatements,
  management,
  httpSignatures,
  eidas,
]

for (const family of families) {
  describe(family.name, () => {
    it.each(family.cases)('$name', (input) => expectRefused(family, input))
  })
}

describe('the tables', () => {
  it('name each case once per family', () => {
    for (const family of families) {
      const names = family.cases.map((input) => input.name)
      expect(
        names.filter((name, index) => names.indexOf(name) !== index),
        family.name,
      ).toEqual([])
    }
  })
})

import { describe, expect, it } from 'vitest'
import { defaultRoleScopes } from '../../src/index.js'
import { allowedScopes, checkScope } from '../../src/metadata/scope.js'

describe('allowedScopes', () => {
  it('maps UK OB roles to scopes, with openid always', () => {
    expect(allowedScopes(['AISP', 'CBPII'], defaultRoleScopes, ['openid'])).toEqual([
      'openid',
      'accounts',
      'fundsconfirmations',
    ])
  })
  it('ignores unknown roles, including names of Object.prototype members', () => {
    expect(allowedScopes(['ASPSP'], defaultRoleScopes, ['openid'])).toEqual(['openid'])
    expect(
      allowedScopes(['constructor', '__proto__', 'toString', 'hasOwnProperty'], defaultRoleScopes, ['openid']),
    ).toEqual(['openid'])
  })
  it('allows every role scope when there is no SSA', () => {
    expect(allowedScopes(undefined, defaultRoleScopes, ['openid'])).toEqual([
      'openid',
      'accounts',
      'payments',
      'fundsconfirmations',
    ])
  })
})

describe('checkScope', () => {
  const allowed = ['openid', 'accounts']
  it('defaults to every allowed scope', () => expect(checkScope(undefined, allowed, ['AISP'])).toBe('openid accounts'))
  it('normalises spacing and duplicates', () =>
    expect(checkScope(' openid  accounts openid ', allowed, ['AISP'])).toBe('openid accounts'))
  it('names the refused scopes and the roles', () => {
    expect(() => checkScope('openid payments', allowed, ['AISP'])).toThrow(
      /scope payments is not allowed by software_roles \[AISP\]/,
    )
  })
  it('rejects a non-string, an empty string and an over-long one', () => {
    expect(() => checkScope(['openid'], allowed, undefined)).toThrow(/space-separated string/)
    expect(() => checkScope('  ', allowed, undefined)).toThrow(/space-separated string/)
    expect(() => checkScope('a'.repeat(257), allowed, undefined)).toThrow(/longer than 256/)
  })
})

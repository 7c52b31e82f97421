import { describe, expect, it } from 'vitest'
import { optionalOneOf, optionalString, optionalStringArray } from '../../src/metadata/claims.js'

describe('claim readers', () => {
  it('read present values and treat null like absent', () => {
    expect(optionalString({ a: 'x' }, 'a')).toBe('x')
    expect(optionalString({ a: null }, 'a')).toBeUndefined()
    expect(optionalStringArray({ a: ['x'] }, 'a')).toEqual(['x'])
    expect(optionalOneOf({ a: 'poll' }, 'a', ['poll', 'ping'])).toBe('poll')
  })
  it('refuse wrong types with invalid_client_metadata naming the claim', () => {
    expect(() => optionalString({ a: 5 }, 'a')).toThrow('"a" must be a non-empty string')
    expect(() => optionalString({ a: '' }, 'a')).toThrow('"a" must be a non-empty string')
    expect(() => optionalString({ a: ['x'] }, 'a')).toThrow('"a" must be a single string, not an array')
    expect(() => optionalString({ a: 'xxxx' }, 'a', 3)).toThrow('"a" is longer than 3 characters')
    expect(() => optionalStringArray({ a: [''] }, 'a')).toThrow('"a" must be an array of non-empty strings')
    expect(() => optionalOneOf({ a: 'push' }, 'a', ['poll'])).toThrow('"a" "push" is not supported; use one of poll')
  })
})

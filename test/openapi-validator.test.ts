import { describe, expect, it } from 'vitest'
import { assertResponseMatchesSpec } from './openapi-validator.js'

const json = 'application/json; charset=utf-8'

describe('the OpenAPI response check used by every end-to-end call', () => {
  it('accepts a described response', () => {
    expect(() =>
      assertResponseMatchesSpec('GET', 'http://h/health', 200, { status: 'ok', brands: 2 }, json),
    ).not.toThrow()
    expect(() =>
      assertResponseMatchesSpec(
        'POST',
        'http://h/northbank-personal/register',
        400,
        { error: 'invalid_redirect_uri', error_description: 'x' },
        json,
      ),
    ).not.toThrow()
  })
  it('refuses a body the schema does not allow', () => {
    expect(() => assertResponseMatchesSpec('GET', 'http://h/health', 200, { status: 'fine' }, json)).toThrow(
      /body does not match the spec/,
    )
    expect(() => assertResponseMatchesSpec('POST', 'http://h/sandbox/tpps', 201, { software_id: 'x' }, json)).toThrow(
      /must have required property/,
    )
    expect(() =>
      assertResponseMatchesSpec(
        'POST',
        'http://h/b/register',
        400,
        { error: 'made_up_code', error_description: 'x' },
        json,
      ),
    ).toThrow(/must be equal to one of the allowed values/)
  })
  it('refuses an undescribed status, method or path', () => {
    expect(() => assertResponseMatchesSpec('GET', 'http://h/health', 418, {}, json)).toThrow(
      /does not describe status 418/,
    )
    expect(() => assertResponseMatchesSpec('PATCH', 'http://h/health', 200, {}, json)).toThrow(/is not described/)
    expect(() => assertResponseMatchesSpec('GET', 'http://h/a/b/c/d/e', 200, {}, json)).toThrow(/is not described/)
  })
  it('checks literal paths before templated ones', () => {
    expect(() => assertResponseMatchesSpec('GET', 'http://h/brands', 200, [{ id: 'x' }], json)).toThrow(
      /must have required property/,
    )
  })
})

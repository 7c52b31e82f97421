import { DcrError } from '@open-dcr/express'
import type { Request } from 'express'
import { describe, expect, it } from 'vitest'
import { presentedCredentials, secretCredentials } from '../../src/token/presented-credentials.js'

const request = (authorization?: string) =>
  ({
    get: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined),
  }) as unknown as Request
const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`

function refusal(run: () => unknown): DcrError {
  try {
    run()
  } catch (err) {
    if (err instanceof DcrError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

describe('presentedCredentials: the one method of a token request', () => {
  it('reads client_secret_basic form-decoded, and a matching client_id in the body', () => {
    expect(presentedCredentials(request(basic('c%3A1:s+1')), { client_id: 'c:1' })).toEqual({
      method: 'client_secret_basic',
      clientId: 'c:1',
      secret: 's 1',
    })
  })

  it('refuses a body client_id that is not the Authorization header’s (400 invalid_request)', () => {
    const error = refusal(() => presentedCredentials(request(basic('c1:s')), { client_id: 'c2' }))
    expect([error.status, error.code]).toEqual([400, 'invalid_request'])
  })

  it('refuses two methods at once, and tells client_secret_post and tls_client_auth apart', () => {
    const error = refusal(() => presentedCredentials(request(basic('c1:s')), { client_secret: 's' }))
    expect([error.status, error.code]).toEqual([400, 'invalid_request'])
    expect(presentedCredentials(request(), { client_id: 'c1', client_secret: 's' }).method).toBe('client_secret_post')
    expect(presentedCredentials(request(), { client_id: 'c1' }).method).toBe('tls_client_auth')
  })

  it('secretCredentials takes Basic before posted credentials', () => {
    expect(secretCredentials(request(basic('portal-1:x')), { client_id: 'c', client_secret: 'y' })).toEqual({
      clientId: 'portal-1',
      secret: 'x',
    })
    expect(secretCredentials(request(), { client_id: 'c', client_secret: 'y' })).toEqual({ clientId: 'c', secret: 'y' })
    expect(secretCredentials(request(), { client_id: 'c' })).toBeUndefined()
  })
})

import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import {
  CheckError,
  type CheckErrorCode,
  checkErrorCodes,
  DcrError,
  type DcrErrorCode,
  dcrErrorHandler,
  type Logger,
  StoreUnavailableError,
  setNoStore,
  toErrorResponse,
} from '../../src/index.js'

/** The answer each check code must get on the wire (RFC 7591 §3.2.2, RFC 6749 §5.2, RFC 6750 §3.1). */
const expected: Record<CheckErrorCode, { status: number; error: DcrErrorCode; challenge?: string }> = {
  ERR_DCR_CERTIFICATE_MALFORMED: { status: 401, error: 'invalid_client' },
  ERR_DCR_CERTIFICATE_UNTRUSTED: { status: 401, error: 'invalid_client' },
  ERR_DCR_HTTP_SIGNATURE_INVALID: { status: 400, error: 'invalid_request' },
  ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED: { status: 401, error: 'invalid_client' },
  ERR_DCR_SOFTWARE_STATEMENT_INVALID: { status: 400, error: 'invalid_software_statement' },
  ERR_DCR_SOFTWARE_STATEMENT_UNAPPROVED: { status: 400, error: 'unapproved_software_statement' },
  ERR_DCR_KEY_SET_UNUSABLE: { status: 400, error: 'invalid_client_metadata' },
  ERR_DCR_REQUEST_OBJECT_INVALID: { status: 400, error: 'invalid_client_metadata' },
  ERR_DCR_REQUEST_OBJECT_REPLAYED: { status: 400, error: 'invalid_client_metadata' },
  ERR_DCR_CLIENT_METADATA_INVALID: { status: 400, error: 'invalid_client_metadata' },
  ERR_DCR_DISTINGUISHED_NAME_INVALID: { status: 400, error: 'invalid_client_metadata' },
  ERR_DCR_REDIRECT_URI_INVALID: { status: 400, error: 'invalid_redirect_uri' },
  ERR_DCR_ACCESS_TOKEN_INVALID: { status: 401, error: 'invalid_token', challenge: 'Bearer error="invalid_token"' },
  ERR_DCR_ACCESS_TOKEN_FORBIDDEN: {
    status: 403,
    error: 'insufficient_scope',
    challenge: 'Bearer error="insufficient_scope"',
  },
}

describe('toErrorResponse', () => {
  it('knows every check code, and no other', () => {
    expect(Object.keys(expected).sort()).toEqual([...checkErrorCodes].sort())
    expect(new Set(checkErrorCodes).size).toBe(checkErrorCodes.length)
  })

  it.each(checkErrorCodes)('answers %s with its RFC status and error code', (code) => {
    const answer = toErrorResponse(new CheckError(code, 'client metadata', `described for ${code}`))
    const { status, error, challenge } = expected[code]
    expect(answer).toEqual({
      status,
      headers: challenge === undefined ? {} : { 'WWW-Authenticate': challenge },
      body: { error, error_description: `described for ${code}` },
      known: true,
    })
  })

  it('answers a DcrError as it says: code, status, headers', () => {
    const err = new DcrError('invalid_request', 'GET is not supported here', {
      status: 405,
      headers: { Allow: 'POST' },
    })
    expect(toErrorResponse(err)).toEqual({
      status: 405,
      headers: { Allow: 'POST' },
      body: { error: 'invalid_request', error_description: 'GET is not supported here' },
      known: true,
    })
    expect(toErrorResponse(new DcrError('invalid_client', 'no certificate')).status).toBe(401)
  })

  it('gives Bearer token refusals WWW-Authenticate (RFC 6750 §3), keeping one the error already has', () => {
    expect(toErrorResponse(new DcrError('invalid_token', 'expired')).headers).toEqual({
      'WWW-Authenticate': 'Bearer error="invalid_token"',
    })
    expect(toErrorResponse(new DcrError('insufficient_scope', 'other client')).headers).toEqual({
      'WWW-Authenticate': 'Bearer error="insufficient_scope"',
    })
    const own = new DcrError('invalid_token', 'x', { headers: { 'www-authenticate': 'Bearer realm="bank"' } })
    expect(toErrorResponse(own).headers).toEqual({ 'www-authenticate': 'Bearer realm="bank"' })
    expect(toErrorResponse(new DcrError('invalid_client', 'x')).headers).toEqual({})
  })

  it('answers an unavailable store 503 temporarily_unavailable with Retry-After', () => {
    const answer = toErrorResponse(new StoreUnavailableError('connection lost to db.internal:5432', { retryAfter: 7 }))
    expect(answer.status).toBe(503)
    expect(answer.headers).toEqual({ 'Retry-After': '7' })
    expect(answer.body.error).toBe('temporarily_unavailable')
    expect(answer.body.error_description).not.toMatch(/db\.internal/)
    expect(toErrorResponse(new StoreUnavailableError('x')).headers).toEqual({ 'Retry-After': '5' })
  })

  it('caps descriptions at 500 characters, from checks and DcrErrors alike', () => {
    const long = 'x'.repeat(2000)
    for (const err of [
      new CheckError('ERR_DCR_CLIENT_METADATA_INVALID', 'client metadata', long),
      new DcrError('invalid_request', long),
    ]) {
      const description = toErrorResponse(err).body.error_description
      expect(description).toHaveLength(500)
      expect(description.endsWith('…')).toBe(true)
    }
    const exact = 'y'.repeat(500)
    expect(toErrorResponse(new DcrError('invalid_request', exact)).body.error_description).toBe(exact)
  })

  it('answers body-parser failures as the request’s fault', () => {
    expect(toErrorResponse({ type: 'entity.too.large', status: 413, limit: 100 })).toMatchObject({
      status: 413,
      body: { error: 'invalid_request', error_description: 'request body exceeds the limit of 100 bytes' },
    })
    expect(toErrorResponse({ type: 'entity.parse.failed', status: 400 })).toMatchObject({
      status: 400,
      body: { error: 'invalid_client_metadata' },
    })
    expect(toErrorResponse({ type: 'charset.unsupported', status: 415 }).status).toBe(415)
    expect(toErrorResponse({ expose: true, status: 400 })).toMatchObject({ status: 400, known: true })
  })

  it('answers anything else 500 server_error without detail, marked unknown', () => {
    for (const err of [new Error('secret at /etc/passwd'), 'a string', undefined, { type: 'mystery' }]) {
      expect(toErrorResponse(err)).toEqual({
        status: 500,
        headers: {},
        body: { error: 'server_error', error_description: 'the server could not complete the request' },
        known: false,
      })
    }
  })
})

describe('dcrErrorHandler and setNoStore', () => {
  const app = (err: unknown, logged: unknown[][]) => {
    const logger: Logger = { info: () => {}, warn: () => {}, error: (...args: unknown[]) => logged.push(args) }
    return express()
      .get('/', () => {
        throw err
      })
      .use(dcrErrorHandler(logger))
  }

  it('writes the mapping’s answer, no-store, without logging a check failure', async () => {
    const logged: unknown[][] = []
    const res = await request(
      app(new CheckError('ERR_DCR_ACCESS_TOKEN_INVALID', 'access token', 'expired'), logged),
    ).get('/')
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ error: 'invalid_token', error_description: 'expired' })
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers.pragma).toBe('no-cache')
    expect(logged).toEqual([])
  })

  it('logs an unavailable store and unknown errors by name and message only', async () => {
    const logged: unknown[][] = []
    const unavailable = await request(app(new StoreUnavailableError('disk full', { retryAfter: 3 }), logged)).get('/')
    expect(unavailable.status).toBe(503)
    expect(unavailable.headers['retry-after']).toBe('3')
    const unknown = await request(app(new TypeError('boom'), logged)).get('/')
    expect(unknown.status).toBe(500)
    expect(unknown.body.error_description).not.toMatch(/boom/)
    expect(logged).toEqual([
      [{ err: { name: 'StoreUnavailableError', message: 'disk full' } }, 'client store unavailable'],
      [{ err: { name: 'TypeError', message: 'boom' } }, 'unexpected error in DCR request'],
    ])
  })

  it('setNoStore sets Cache-Control and Pragma', async () => {
    const res = await request(
      express().get('/', (_req, res) => {
        setNoStore(res)
        res.json({})
      }),
    ).get('/')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers.pragma).toBe('no-cache')
  })
})

import { describe, expect, it } from 'vitest'
import { loadOpenApi } from '../src/openapi.js'
import { prefillTargets } from '../src/routes/docs-prefill.js'

describe('what /docs fills in from earlier answers, read off the OpenAPI document', () => {
  const targets = prefillTargets(loadOpenApi())

  it('the software id into every kit operation', () => {
    expect(targets.softwareId).toEqual(
      expect.arrayContaining([
        ['/sandbox/tpps/{softwareId}/registration-request', 'post'],
        ['/sandbox/tpps/{softwareId}/request-object', 'post'],
      ]),
    )
  })

  it('the client id into every management operation, path-level parameters included', () => {
    for (const method of ['get', 'put', 'delete']) {
      expect(targets.clientId).toContainEqual(['/{brand}/register/{clientId}', method])
      expect(targets.clientId).toContainEqual(['/{brand}/client/v1/register/{clientId}', method])
    }
    expect(targets.clientId).toContainEqual(['/{brand}/register/{clientId}/client-secret', 'post'])
  })

  it('the transport certificate wherever X-Client-Certificate is a parameter', () => {
    expect(targets.certificate).toContainEqual(['/{brand}/register', 'post'])
    expect(targets.certificate).toContainEqual(['/{brand}/register/{clientId}', 'get'])
    expect(targets.certificate).toContainEqual(['/{brand}/token', 'post'])
  })

  it('the signed request into registrations and updates, with the content types each accepts', () => {
    expect(targets.registrationBody).toContainEqual([
      '/{brand}/register',
      'post',
      expect.arrayContaining(['application/jose', 'application/json']),
    ])
    expect(targets.registrationBody).toContainEqual([
      '/{brand}/register/{clientId}',
      'put',
      expect.arrayContaining(['application/jose']),
    ])
    expect(targets.registrationBody.map(([path, method]) => `${method} ${path}`)).not.toContain(
      'post /{brand}/register/{clientId}/client-secret',
    )
    expect(targets.tokenForm).toEqual([['/{brand}/token', 'post']])
  })
})

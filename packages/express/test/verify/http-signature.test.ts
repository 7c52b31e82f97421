import { createCertificateAuthority, signHttpRequest } from '@open-dcr/testkit'
import { describe, expect, it } from 'vitest'
import { createTrustStore } from '../../src/verify/certificate-chain.js'
import {
  assertSignatureValid,
  type HttpSignatureSettings,
  inspectHttpSignature,
} from '../../src/verify/http-signature.js'
import { expectCheck, thrownCheck } from '../check-error.js'

const qtsp = createCertificateAuthority({ commonName: 'Test QTSP' })
const settings: HttpSignatureSettings = {
  requiredHeaders: ['(request-target)', 'date', 'digest'],
  maxSkew: 300,
  allowHexDigest: false,
  trust: createTrustStore([qtsp.certPem], [], 'test'),
  certificateHeader: 'tpp-signature-certificate',
}
const now = () => Date.now()

/** A POST signed with `seal`, as received. */
function signed(seal: { keyPem: string; certPem: string }, extra: Record<string, string> = {}) {
  const body = Buffer.from('{"a":1}')
  const { headers } = signHttpRequest({ method: 'POST', path: '/register', body, ...seal, now: now() })
  const all: Record<string, string> = { ...headers, ...extra }
  return { method: 'POST', path: '/register', body, header: (name: string) => all[name.toLowerCase()] }
}

describe('inspectHttpSignature and assertSignatureValid', () => {
  it('accept a request signed by a QSEAL of a trusted QTSP', () => {
    const seal = qtsp.issueSigningCertificate({ orgId: 'org1', softwareId: 'soft1' })
    const report = inspectHttpSignature(signed(seal), settings, now, undefined)
    expect(report.problems).toEqual([])
    expect(assertSignatureValid(report)).toBe(report.certificate)
  })

  it('say "QSEAL certificate" for a QSEAL from an untrusted QTSP, and fail authentication (401 invalid_client)', () => {
    const rogue = createCertificateAuthority({ commonName: 'Rogue QTSP' }).issueSigningCertificate({
      orgId: 'org1',
      softwareId: 'soft1',
    })
    const report = inspectHttpSignature(signed(rogue), settings, now, undefined)
    expect(report.problems).toEqual([
      {
        code: 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED',
        message: expect.stringMatching(/^the QSEAL certificate is not issued by a trusted CA \(issuer: .*Rogue QTSP/),
      },
    ])
    const err = thrownCheck(() => assertSignatureValid(report))
    expect(err.message).toMatch(/^HTTP signature: the QSEAL certificate is not issued by a trusted CA/)
    expect(err.message).not.toMatch(/client certificate/)
    expectCheck(err, 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED', 'HTTP signature', {
      status: 401,
      error: 'invalid_client',
    })
  })

  it('say "QSEAL certificate" for an unreadable QSEAL', () => {
    const seal = qtsp.issueSigningCertificate({ orgId: 'org1', softwareId: 'soft1' })
    const report = inspectHttpSignature(
      signed(seal, { 'tpp-signature-certificate': 'bm90IGEgY2VydGlmaWNhdGU=' }),
      settings,
      now,
      undefined,
    )
    expect(report.problems.map((p) => p.message)).toEqual([
      'the QSEAL certificate is not a well-formed X.509 certificate',
    ])
  })

  it('report a request-side problem alone as ERR_DCR_HTTP_SIGNATURE_INVALID (400 invalid_request)', () => {
    const seal = qtsp.issueSigningCertificate({ orgId: 'org1', softwareId: 'soft1' })
    const report = inspectHttpSignature(signed(seal, { digest: 'SHA-256=AAAA' }), settings, now, undefined)
    expect(report.problems.map((p) => p.code)).toEqual(['ERR_DCR_HTTP_SIGNATURE_INVALID'])
    const err = thrownCheck(() => assertSignatureValid(report))
    expect(err.message).toMatch(/^HTTP signature: Digest does not match the body: expected SHA-256=/)
    expectCheck(err, 'ERR_DCR_HTTP_SIGNATURE_INVALID', 'HTTP signature', { status: 400, error: 'invalid_request' })
  })

  it('fail authentication when the Signature header is missing', () => {
    const report = inspectHttpSignature(
      { method: 'POST', path: '/register', body: Buffer.alloc(0), header: () => undefined },
      settings,
      now,
      undefined,
    )
    expect(report.problems).toEqual([
      { code: 'ERR_DCR_HTTP_SIGNATURE_VERIFICATION_FAILED', message: 'the Signature header is missing' },
    ])
  })
})

import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createCertificateAuthority } from '@open-dcr/testkit'
import { describe, expect, it } from 'vitest'
import {
  formatDistinguishedName,
  parseCertificate,
  parseDistinguishedName,
  sameDistinguishedName,
} from '../../src/index.js'
import { refuseUnsafeDn } from '../../src/verify/distinguished-name.js'
import { expectCheck, thrownCheck } from '../check-error.js'

const same = (a: string, b: string, anyOrder = false) =>
  sameDistinguishedName(parseDistinguishedName(a), parseDistinguishedName(b), { anyOrder })

describe('parseDistinguishedName', () => {
  it('maps attribute names to OIDs, case-insensitively, and unescapes values', () => {
    expect(parseDistinguishedName('cn=Smith\\2C John,OU=org,o=OpenBanking,C=GB')).toEqual([
      [{ type: '2.5.4.3', value: 'Smith, John' }],
      [{ type: '2.5.4.11', value: 'org' }],
      [{ type: '2.5.4.10', value: 'OpenBanking' }],
      [{ type: '2.5.4.6', value: 'GB' }],
    ])
    expect(parseDistinguishedName('organizationIdentifier=PSDGB-FCA-1')).toEqual(
      parseDistinguishedName('2.5.4.97=PSDGB-FCA-1'),
    )
    expect(parseDistinguishedName('CN=a\\,b+UID=x')).toEqual([
      [
        { type: '2.5.4.3', value: 'a,b' },
        { type: '0.9.2342.19200300.100.1.1', value: 'x' },
      ],
    ])
  })
  it.each([
    '',
    'garbage',
    '=x',
    'FOO=bar',
    'CN=',
    'CN=#0403616263',
    'constructor=x',
    '__proto__=x',
    'toString=x',
    'CN=a+2.5.4.3=b',
    'cn=a+CN=b,O=x',
  ])('refuses %j as ERR_DCR_DISTINGUISHED_NAME_INVALID (invalid_client_metadata)', (text) => {
    expectCheck(
      thrownCheck(() => parseDistinguishedName(text)),
      'ERR_DCR_DISTINGUISHED_NAME_INVALID',
      'client metadata',
      {
        status: 400,
        error: 'invalid_client_metadata',
      },
    )
  })
})

describe('escapes @ldapjs/dn 1.1.0 mis-reads', () => {
  it('reads an escaped special character followed by a hex digit as that character', () => {
    expect(parseDistinguishedName('O=Smith\\+Co')).toEqual([[{ type: '2.5.4.10', value: 'Smith+Co' }]])
    expect(parseDistinguishedName('CN=a\\ 1')).toEqual([[{ type: '2.5.4.3', value: 'a 1' }]])
  })
  it('keeps the RDN after a multi-byte escape', () => {
    expect(parseDistinguishedName('CN=\\c3\\a9,O=x')).toEqual([
      [{ type: '2.5.4.3', value: '\u00e9' }],
      [{ type: '2.5.4.10', value: 'x' }],
    ])
  })
  it.each([
    ['CN=\\c3,O=x', /escaped bytes that are not UTF-8/],
    ['CN=a\\-1', /invalid escape at position 4/],
    ['CN=x\\', /invalid escape/],
    ['CN=a+2.5.4.3=b', /names attribute type 2.5.4.3 twice in one RDN/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDistinguishedName(text)).toThrow(message)
  })
})

describe('sameDistinguishedName', () => {
  it('matches spellings TLS terminators produce', () => {
    expect(same('CN=abc,OU=org,O=OpenBanking,C=GB', 'cn=abc, ou=org, o=OpenBanking, c=GB')).toBe(true)
    expect(same('CN=abc,organizationIdentifier=PSDGB-FCA-1', 'CN=abc,2.5.4.97=PSDGB-FCA-1')).toBe(true)
    expect(same('CN=a\\2Cb', 'CN=a\\,b')).toBe(true)
  })
  it('treats reversed order as a match only when asked to', () => {
    expect(same('CN=abc,OU=org,O=OpenBanking,C=GB', 'C=GB,O=OpenBanking,OU=org,CN=abc')).toBe(false)
    expect(same('CN=abc,OU=org,O=OpenBanking,C=GB', 'C=GB,O=OpenBanking,OU=org,CN=abc', true)).toBe(true)
  })
  it('compares values exactly', () => {
    expect(same('CN=abc', 'CN=ABC')).toBe(false)
    expect(same('CN=abc,O=x', 'CN=abc')).toBe(false)
  })
})

describe('parseCertificate', () => {
  it('reads subject, issuer, serial and validity, and matches the registered DN', () => {
    const ca = createCertificateAuthority()
    const issued = ca.issueTransportCertificate({ orgId: 'org1', softwareId: 'soft1' })
    const der = Buffer.from(issued.certPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64')
    const cert = parseCertificate(der)
    expect(formatDistinguishedName(cert.subject)).toBe('CN=soft1,OU=org1,O=OpenBanking,C=GB')
    expect(sameDistinguishedName(cert.subject, parseDistinguishedName(issued.subjectDn), { anyOrder: false })).toBe(
      true,
    )
    expect(formatDistinguishedName(cert.issuer)).toBe(ca.subjectDn)
    expect(cert.serialNumber).toBe(issued.serialNumber)
    expect(cert.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(parseCertificate(der)).toBe(cert)
  })
  it('refuses bytes that are not a certificate as ERR_DCR_CERTIFICATE_MALFORMED (401 invalid_client)', () => {
    const err = thrownCheck(() => parseCertificate(Buffer.from('not a certificate')))
    expect(err.message).toBe('the client certificate is not a well-formed X.509 certificate')
    expectCheck(err, 'ERR_DCR_CERTIFICATE_MALFORMED', 'client certificate', { status: 401, error: 'invalid_client' })
  })
  it('describes an unreadable certificate as the subject it was presented as', () => {
    const err = thrownCheck(() => parseCertificate(Buffer.from('not a QSEAL'), 'QSEAL certificate'))
    expect(err.message).toBe('the QSEAL certificate is not a well-formed X.509 certificate')
    expectCheck(err, 'ERR_DCR_CERTIFICATE_MALFORMED', 'QSEAL certificate', { status: 401, error: 'invalid_client' })
  })
})

describe('inputs that hang @ldapjs/dn 1.1.0', () => {
  const hangers = ['CN=# ', 'CN=# x', '11=# "\\c', 'CN=x,O=  # a']

  it.each(hangers)('refuses %j before the library sees it', (text) => {
    expect(() => refuseUnsafeDn(text)).toThrow(/hex-encoded/)
  })

  it('keeps escaped # and # inside values, also after an escape', () => {
    expect(parseDistinguishedName('CN=\\,#')).toEqual([[{ type: '2.5.4.3', value: ',#' }]])
    expect(parseDistinguishedName('CN=\\#1,O=a#b')).toEqual([
      [{ type: '2.5.4.3', value: '#1' }],
      [{ type: '2.5.4.10', value: 'a#b' }],
    ])
  })

  it('answers every one of them promptly (child process with a time limit, since a hang cannot be interrupted in-process)', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url))
    const script = `import('./src/verify/distinguished-name.ts').then((m) => { for (const t of ${JSON.stringify(hangers)}) { try { m.parseDistinguishedName(t); console.log('parsed') } catch (e) { console.log(e.code) } } })`
    const out = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        timeout: 20_000,
        encoding: 'utf8',
      },
    )
    expect(out.trim().split('\n')).toEqual(hangers.map(() => 'ERR_DCR_DISTINGUISHED_NAME_INVALID'))
  })
})

import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import request from 'supertest'
import { bad, type Family } from './harness.js'
import { post, postJson, signed } from './requests.js'
import type { Scene } from './scene.js'

const jose = /content type must be application\/jose or application\/jwt/
const json = /content type must be application\/json/
const undecodable = /request body could not be decoded: it does not match its Content-Encoding/
const unsupported = /request body charset or encoding is not supported/

/** A good registration request sent with the given content type and encoding. */
const encoded = (type: string, encoding: string, body?: (jws: string) => Buffer | string) => async (s: Scene) =>
  post(s, body ? body(await signed(s)) : await signed(s), type).set('content-encoding', encoding)

/** Family 3: content types, charsets, sizes, empty bodies and Content-Encoding. */
export const bodies: Family = {
  name: 'request bodies',
  bank: 'obUk',
  cases: [
    bad('text/plain', [415, 'invalid_request', jose], async (s) => post(s, await signed(s), 'text/plain')),
    bad('application/json to an ob-uk brand', [415, 'invalid_request', jose], (s) =>
      post(s, '{"redirect_uris":[]}', 'application/json'),
    ),
    bad('application/x-www-form-urlencoded', [415, 'invalid_request', jose], async (s) =>
      post(s, `request=${await signed(s)}`, 'application/x-www-form-urlencoded'),
    ),
    bad('multipart/form-data', [415, 'invalid_request', jose], async (s) =>
      post(s, await signed(s), 'multipart/form-data; boundary=x'),
    ),
    bad('application/jose+json (JWS JSON serialization)', [415, 'invalid_request', jose], async (s) =>
      post(s, await signed(s), 'application/jose+json'),
    ),
    bad('a content type that does not parse', [415, 'invalid_request', jose], async (s) =>
      post(s, await signed(s), 'application/ jose'),
    ),
    bad('no content type', [415, 'invalid_request', jose], async (s) =>
      request(s.bank.app)
        .post('/bank/register')
        .send(Buffer.from(await signed(s))),
    ),
    bad('no body and no content type', [415, 'invalid_request', jose], (s) =>
      request(s.bank.app).post('/bank/register'),
    ),
    bad('an unknown charset', [415, 'invalid_request', unsupported], async (s) =>
      post(s, await signed(s), 'application/jose; charset=no-such-charset'),
    ),
    bad('UTF-16 that is not', [400, 'invalid_client_metadata', /not a compact JWS/], async (s) =>
      post(s, await signed(s), 'application/jose; charset=utf-16le'),
    ),
    bad('an empty body', [400, 'invalid_client_metadata', /request body must be a signed JWT/], (s) => post(s, '')),
    bad('only whitespace', [400, 'invalid_client_metadata', /request body must be a signed JWT/], (s) =>
      post(s, ' \r\n\t '),
    ),
    bad('an empty chunked body', [400, 'invalid_client_metadata', /request body must be a signed JWT/], (s) =>
      post(s, '').set('transfer-encoding', 'chunked'),
    ),
    bad('binary garbage', [400, 'invalid_client_metadata', /not a compact JWS/], (s) =>
      post(s, Buffer.from([0xff, 0xfe, 0x00, 0x2e, 0x80, 0x2e, 0xc3])),
    ),
    bad('the JWS as a JSON string', [400, 'invalid_client_metadata', /not a compact JWS/], async (s) =>
      post(s, JSON.stringify(await signed(s))),
    ),
    bad('70,000 bytes', [413, 'invalid_request', /request body exceeds the limit of 65536 bytes/], (s) =>
      post(s, 'a'.repeat(70_000)),
    ),
    bad(
      '3,000 bytes at a brand that takes 2,048',
      [413, 'invalid_request', /exceeds the limit of 2048 bytes/],
      (s) => post(s, 'a'.repeat(3000)),
      { options: { bodyLimit: 2048 } },
    ),
    bad(
      'a gzip bomb (1 MB in a few KB)',
      [413, 'invalid_request', /exceeds the limit of 65536 bytes/],
      encoded('application/jose', 'gzip', () => gzipSync(Buffer.alloc(1_000_000, 'a'))),
    ),
    bad(
      'Content-Encoding: gzip over bytes that are not',
      [400, 'invalid_request', undecodable],
      encoded('application/jose', 'gzip'),
    ),
    bad(
      'Content-Encoding: deflate over bytes that are not',
      [400, 'invalid_request', undecodable],
      encoded('application/jose', 'deflate'),
    ),
    bad(
      'Content-Encoding: br over bytes that are not',
      [400, 'invalid_request', undecodable],
      encoded('application/jose', 'br'),
    ),
    bad(
      'Content-Encoding: gzip, cut short',
      [400, 'invalid_request', undecodable],
      encoded('application/jose', 'gzip', (jws) => gzipSync(jws).subarray(0, 30)),
    ),
    bad(
      'Content-Encoding: deflate over gzip',
      [400, 'invalid_request', undecodable],
      encoded('application/jose', 'deflate', (jws) => gzipSync(jws)),
    ),
    bad(
      'Content-Encoding: gzip over brotli',
      [400, 'invalid_request', undecodable],
      encoded('application/jose', 'gzip', (jws) => brotliCompressSync(jws)),
    ),
    bad('Content-Encoding: compress', [415, 'invalid_request', unsupported], encoded('application/jose', 'compress')),
    bad(
      'Content-Encoding: gzip, gzip',
      [415, 'invalid_request', unsupported],
      encoded('application/jose', 'gzip, gzip', (jws) => gzipSync(gzipSync(jws))),
    ),
    bad(
      'Content-Encoding: deflate over a deflated bomb',
      [413, 'invalid_request', /exceeds the limit/],
      encoded('application/jose', 'deflate', () => deflateSync(Buffer.alloc(1_000_000, 'a'))),
    ),
    bad(
      'JSON that does not parse (rfc7591)',
      [400, 'invalid_client_metadata', /request body is not valid JSON/],
      (s) => postJson(s, '{"redirect_uris": ['),
      { bank: 'rfc7591' },
    ),
    bad(
      'a JSON array (rfc7591)',
      [400, 'invalid_client_metadata', /request body must be a JSON object of client metadata/],
      (s) => postJson(s, [{}]),
      { bank: 'rfc7591' },
    ),
    bad(
      'a JSON string (rfc7591)',
      [400, 'invalid_client_metadata', /not valid JSON/],
      (s) => postJson(s, '"metadata"'),
      { bank: 'rfc7591' },
    ),
    bad('JSON null (rfc7591)', [400, 'invalid_client_metadata', /not valid JSON/], (s) => postJson(s, 'null'), {
      bank: 'rfc7591',
    }),
    bad(
      'JSON nested 30,000 deep (rfc7591)',
      [400, 'invalid_client_metadata', /must be a JSON object/],
      (s) => postJson(s, `${'['.repeat(30_000)}${']'.repeat(30_000)}`),
      { bank: 'rfc7591' },
    ),
    bad(
      'an empty JSON body (rfc7591)',
      [400, 'invalid_software_statement', /"software_statement" is required by this brand/],
      (s) => postJson(s, ''),
      { bank: 'rfc7591' },
    ),
    bad(
      'JSON in latin1 (rfc7591)',
      [415, 'invalid_request', unsupported],
      (s) => post(s, '{}', 'application/json; charset=latin1'),
      { bank: 'rfc7591' },
    ),
    bad('a JWS to an rfc7591 brand', [415, 'invalid_request', json], async (s) => post(s, await signed(s)), {
      bank: 'rfc7591',
    }),
    bad(
      '70,000 bytes of JSON (rfc7591)',
      [413, 'invalid_request', /65536 bytes/],
      (s) => postJson(s, { client_name: 'a'.repeat(70_000) }),
      { bank: 'rfc7591' },
    ),
    bad(
      'Content-Encoding: gzip over JSON that is not (rfc7591)',
      [400, 'invalid_request', undecodable],
      (s) => postJson(s, '{}').set('content-encoding', 'gzip'),
      { bank: 'rfc7591' },
    ),
  ],
}

import { sandboxError } from '../sandbox-error.js'

/**
 * Headers a caller of `/sandbox/http-signatures/send` may not set, and why: hop-by-hop headers
 * (RFC 9110 §7.6.1) and the framing the sender owns belong to one connection, not to the request
 * being relayed; the signature headers and the client certificate are the utility's to make.
 */
const refused: ReadonlyMap<string, string> = new Map([
  ...['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'].map(
    (name) => [name, 'it is a hop-by-hop header'] as const,
  ),
  ...['proxy-authorization', 'proxy-authenticate'].map((name) => [name, 'it is for a proxy'] as const),
  ['host', 'the request goes to this sandbox'],
  ['content-length', 'it is computed from body'],
  ['expect', 'the request is sent at once'],
  ...['date', 'digest', 'signature', 'tpp-signature-certificate'].map(
    (name) => [name, 'the utility makes it when it signs'] as const,
  ),
  ['x-client-certificate', 'the kit’s QWAC is sent'],
])

/** The caller's headers, checked for sending; throws 400 naming the first refused one. */
export function outgoingHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  for (const name of Object.keys(headers)) {
    const why = refused.get(name)
    if (why) throw sandboxError(400, 'invalid_request', `header ${name} may not be set: ${why}`)
  }
  return { ...headers }
}

import { DcrError } from '../errors.js'

/** Client credentials sent with HTTP Basic. */
export interface BasicCredentials {
  clientId: string
  secret: string
}

/** RFC 6749 Appendix A.1 and A.2: a client id and a client secret are `*VSCHAR` (%x20-7E). */
const visibleAscii = /^[\x20-\x7e]*$/

/** RFC 6749 Appendix B: `application/x-www-form-urlencoded` decoding, where `+` is a space. */
function formDecoded(value: string): string {
  const decoded = decodeURIComponent(value.replace(/\+/g, ' '))
  if (!visibleAscii.test(decoded)) throw new URIError('a character outside VSCHAR')
  return decoded
}

/**
 * The client id and secret of an `Authorization: Basic` header, each form-urlencoded before base64
 * as RFC 6749 §2.3.1 requires (a `:` in a secret travels as `%3A`, a space as `+`); undefined when
 * the header is absent or another scheme. A Basic header that does not decode, or decodes to
 * characters outside VSCHAR (Appendix A), is 401 `invalid_client`.
 *
 * @example
 * parseBasicCredentials(req.get('authorization')) // { clientId: 'c1', secret: 'a:b c' } for "c1:a%3Ab+c"
 */
export function parseBasicCredentials(header: string | undefined): BasicCredentials | undefined {
  if (!header || !/^basic /i.test(header)) return undefined
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) throw new DcrError('invalid_client', 'HTTP Basic credentials must be client_id:client_secret')
  try {
    return { clientId: formDecoded(decoded.slice(0, colon)), secret: formDecoded(decoded.slice(colon + 1)) }
  } catch (cause) {
    throw new DcrError('invalid_client', 'HTTP Basic credentials are not form-urlencoded', { cause })
  }
}

/** Whether the request tried HTTP Basic (RFC 6749 §5.2: its 401 then carries `WWW-Authenticate`). */
export const triesBasic = (header: string | undefined): boolean => header !== undefined && /^basic /i.test(header)

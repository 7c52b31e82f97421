import { isLoopbackHost } from '../addresses.js'
import { CheckError } from '../check-error.js'

/** Redirect URI rules of a brand. */
export interface RedirectUriPolicy {
  /** Allow `http://` and `https://` URIs on loopback hosts (local development brands only). */
  allowLoopback: boolean
}

const maxLength = 256
/**
 * What makes a URI read as another or hides part of it: C0 and C1 controls, format characters (the
 * bidirectional marks, overrides and isolates, zero-width spaces, soft hyphens), line and paragraph
 * separators, and any space (a URI has none; the URL parser would quietly encode it).
 */
const hiddenCharacters = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\s]/u
/**
 * `scheme://authority`: the one spelling every parser reads alike. The WHATWG parser also takes
 * `https:host`, `https:/host`, `https:@host` and `https:///:@host` (an empty userinfo the `@` check
 * would not see).
 */
const withAuthority = /^[a-z][a-z0-9+.-]*:\/\/[^/]/i

const reject = (description: string): never => {
  throw new CheckError('ERR_DCR_REDIRECT_URI_INVALID', 'client metadata', description)
}

/**
 * Checks requested redirect URIs: each https (loopback only where the brand allows it), no fragment,
 * at most 256 characters, and each one of the software statement's `software_redirect_uris` when it
 * has them. Omitted → the software statement's list.
 */
export function checkRedirectUris(
  requested: unknown,
  fromStatement: readonly string[] | undefined,
  policy: RedirectUriPolicy,
): string[] {
  const uris = requested ?? fromStatement
  if (uris === undefined) return reject('"redirect_uris" is required')
  if (!Array.isArray(uris) || uris.length === 0 || !uris.every((uri) => typeof uri === 'string')) {
    return reject('"redirect_uris" must be a non-empty array of strings')
  }
  for (const uri of uris) checkOne(uri, policy)
  if (requested !== undefined && fromStatement !== undefined) {
    const allowed = new Set(fromStatement)
    for (const uri of uris) {
      if (!allowed.has(uri)) reject(`${uri} is not in the software statement's software_redirect_uris`)
    }
  }
  return [...new Set(uris as string[])]
}

/**
 * One URI, written `scheme://host...` and parsed by the WHATWG URL parser as browsers will follow
 * it: https (loopback only where the brand allows it, in any spelling: `localhost.`, `127.0.0.2`,
 * `[::ffff:127.0.0.1]`, `0x7f.1`), no fragment, no userinfo, no wildcard, no backslash, no control,
 * invisible, bidirectional or space characters.
 */
function checkOne(uri: string, policy: RedirectUriPolicy): void {
  if (uri.length > maxLength) reject(`redirect URI is longer than ${maxLength} characters`)
  const shown = JSON.stringify(uri)
  if (hiddenCharacters.test(uri)) reject(`${shown} contains control, invisible, bidirectional or space characters`)
  // WHATWG reads "\\" as "/" in https URIs, RFC 3986 parsers as data: the two would disagree on the host.
  if (uri.includes('\\')) reject(`${uri} must not contain a backslash`)
  if (!withAuthority.test(uri) || !URL.canParse(uri))
    reject(`${uri} is not an absolute URI with a host (https://host/path)`)
  const url = new URL(uri)
  if (uri.includes('#')) reject(`${uri} must not contain a fragment`)
  if (url.username !== '' || url.password !== '' || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(uri)) {
    reject(`${uri} must not contain user information (user:password@)`)
  }
  if (uri.includes('*')) reject(`${uri} contains a wildcard; register each redirect URI in full`)
  const loopback = isLoopbackHost(url.hostname)
  if (loopback && !policy.allowLoopback) reject(`${uri} points at a loopback host; use a public https URI`)
  if (url.protocol === 'https:') return
  if (url.protocol === 'http:' && loopback && policy.allowLoopback) return
  reject(`${uri} must use https`)
}

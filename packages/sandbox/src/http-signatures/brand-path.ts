import { sandboxError } from '../sandbox-error.js'

const refuse = (description: string) => sandboxError(400, 'invalid_request', description)

/** How many rounds of percent-decoding a segment is checked through (`%252e` is `%2e` is `.`). */
const decodeRounds = 3

/** Refuses a path segment that is, or decodes (in any round) to, `.` or `..`, or hides a separator. */
function checkSegment(segment: string): void {
  let text = segment
  for (let round = 0; round <= decodeRounds; round++) {
    if (text === '.' || text === '..')
      throw refuse('path may not contain . or .. segments (percent-encoded ones included)')
    if (round > 0 && (text.includes('/') || text.includes('\\')))
      throw refuse('path may not contain percent-encoded / or \\')
    if (!text.includes('%')) return
    try {
      text = decodeURIComponent(text)
    } catch (err) {
      throw sandboxError(400, 'invalid_request', 'path is not valid percent-encoding', { cause: err })
    }
  }
}

/**
 * The URL the signature utility sends to: `path` on the sandbox's own plain listener (`base`), only
 * when it stays inside one brand's endpoints (`/{brand}/...`). `.` and `..` segments are refused
 * outright, percent-encoded or not, rather than resolved; so are backslashes and `//`; and the URL
 * a client library would build from the path must be the path itself (nothing normalised away),
 * so the request that is signed is the request that is sent.
 *
 * @example
 * brandUrl('/continental-corporate/client/v1/register', 'http://127.0.0.1:8080', brandIds) // URL
 * brandUrl('/continental-corporate/../sandbox/tpps', ...)                                // throws 400
 */
export function brandUrl(path: string, base: string, brandIds: ReadonlySet<string>): URL {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\') || path.includes('#')) {
    throw refuse('path must be an absolute path (from a single /, no \\ and no #fragment)')
  }
  const query = path.indexOf('?')
  const pathname = query === -1 ? path : path.slice(0, query)
  const segments = pathname.split('/').slice(1)
  for (const segment of segments) checkSegment(segment)
  const brand = segments[0] ?? ''
  if (!brandIds.has(brand) || segments.length < 2) {
    throw refuse(
      `path must be an endpoint of one of this sandbox's brands: /{brand}/..., brand one of ${[...brandIds].join(', ')}`,
    )
  }
  const origin = new URL(base).origin
  const url = new URL(`${origin}${path}`)
  if (url.origin !== origin || `${url.pathname}${url.search}` !== path) {
    throw refuse(`path must be in normal form: it would be sent as ${url.pathname}${url.search}`)
  }
  return url
}

import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { isIP } from 'node:net'
import { isPublicAddress } from '../addresses.js'

/** What a software JWKS endpoint may be, and how much of it is read. */
export interface KeySetFetchPolicy {
  /** Largest response body read, bytes. */
  maxBytes: number
  /** Accept `http:` endpoints anywhere (sandboxes only). */
  allowHttp: boolean
  /** Accept endpoints that resolve to loopback, private or link-local addresses. */
  allowPrivateAddresses: boolean
  /** Origins (`scheme://host:port`) fetched whatever their scheme and address: e.g. a sandbox's own listener. */
  trustedOrigins: readonly string[]
}

/** A fetch the policy refused, or a response it would not read; the message says why, for the TPP. */
export class KeySetFetchRefused extends Error {
  override readonly name = 'KeySetFetchRefused'
}

/** The fetch options jose's `createRemoteJWKSet` passes to a custom fetch. */
interface JoseFetchInit {
  signal?: AbortSignal
  headers?: ConstructorParameters<typeof Headers>[0]
}

/**
 * A DNS lookup that refuses names resolving to any non-public address, so the address checked is
 * the address connected to (no second resolution an attacker's DNS could answer differently).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (err, addresses: LookupAddress[]) => {
    if (err) {
      callback(err, '', 0)
      return
    }
    const refused = addresses.find((entry) => !isPublicAddress(entry.address))
    if (refused) {
      callback(new KeySetFetchRefused(`resolves to ${refused.address}, which is not a public address`), '', 0)
      return
    }
    if ((options as { all?: boolean }).all) {
      ;(callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
      return
    }
    const first = addresses[0]
    if (!first) callback(new KeySetFetchRefused('does not resolve to any address'), '', 0)
    else callback(null, first.address, first.family)
  })
}

/** Reads at most `maxBytes` of the body; a larger one is refused without reading the rest. */
function readBounded(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let settled = false
    const refuse = (why: string) => {
      if (settled) return
      settled = true
      reject(new KeySetFetchRefused(why))
      response.destroy()
    }
    const declared = Number(response.headers['content-length'])
    if (Number.isFinite(declared) && declared > maxBytes) {
      refuse(`is larger than ${maxBytes} bytes (Content-Length ${declared})`)
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    response.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) refuse(`is larger than ${maxBytes} bytes`)
      else chunks.push(chunk)
    })
    response.on('end', () => {
      if (settled) return
      settled = true
      resolve(Buffer.concat(chunks))
    })
    response.on('aborted', () => refuse('closed the connection before the end of the body'))
    response.on('error', (err) => {
      if (settled) return
      settled = true
      reject(err)
    })
  })
}

/**
 * The fetch used for software JWKS endpoints (jose's `customFetch`): only https (unless allowed),
 * only public addresses, checked on the address actually connected to (unless allowed, or the
 * origin is trusted), redirects never followed, the body capped at `maxBytes`.
 */
export function createKeySetFetch(policy: KeySetFetchPolicy): (url: string, init?: JoseFetchInit) => Promise<Response> {
  const trusted = new Set(policy.trustedOrigins.map((origin) => new URL(origin).origin))
  return (href, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(href)
      const isTrusted = trusted.has(url.origin)
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (policy.allowHttp || isTrusted))) {
        reject(new KeySetFetchRefused('must be an https URL'))
        return
      }
      const checkAddresses = !policy.allowPrivateAddresses && !isTrusted
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
      if (checkAddresses && isIP(host) !== 0 && !isPublicAddress(host)) {
        reject(new KeySetFetchRefused(`is at ${host}, which is not a public address`))
        return
      }
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest
      const req = request(
        url,
        {
          method: 'GET',
          headers: Object.fromEntries(new Headers(init.headers).entries()),
          ...(checkAddresses ? { lookup: publicOnlyLookup } : {}),
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (response) => {
          const status = response.statusCode ?? 0
          if (status >= 300 && status < 400) {
            response.destroy()
            reject(new KeySetFetchRefused(`answered ${status} (a redirect); redirects are not followed`))
            return
          }
          readBounded(response, policy.maxBytes).then(
            (body) => resolve(new Response(status === 204 || status === 205 ? null : body, { status })),
            reject,
          )
        },
      )
      req.on('error', (err) => reject(err.name === 'AbortError' ? Object.assign(err, { name: 'TimeoutError' }) : err))
      req.end()
    })
}

import { signHttpRequest } from '@open-dcr/testkit'
import type { RequestHandler } from 'express'
import type { SandboxUrls } from '../brands.js'
import type { KitRegistry } from '../kits.js'
import { sandboxError } from '../sandbox-error.js'
import { brandUrl } from './brand-path.js'
import { outgoingHeaders } from './outgoing-headers.js'
import { readSignatureRequest } from './signature-request.js'

/** What the sender needs from the sandbox. */
export interface SendDeps {
  brandIds: ReadonlySet<string>
  kits: KitRegistry
  urls: SandboxUrls
  now: () => number
}

/** The methods the brands' endpoints answer; nothing else is sent. */
const sendableMethods = new Set(['GET', 'POST', 'PUT', 'DELETE'])
/** Milliseconds the brand has to answer. */
const sendTimeout = 10_000
/** Characters of a non-JSON answer passed back. */
const maxBodyText = 64 * 1024

function sendMethod(method: string): string {
  const upper = method.toUpperCase()
  if (!sendableMethods.has(upper)) {
    throw sandboxError(400, 'invalid_request', `method must be GET, POST, PUT or DELETE; ${method} is not sent`)
  }
  return upper
}

const isJson = (contentType: string | null) =>
  contentType !== null && /^application\/([\w.-]+\+)?json\b/i.test(contentType)

/** The brand's answer as the utility reports it: JSON parsed into `body`, anything else as text in `body_text`. */
function describeBody(contentType: string | null, text: string): Record<string, unknown> {
  if (text === '') return { body: null }
  if (isJson(contentType)) {
    try {
      return { body: JSON.parse(text) as unknown }
    } catch {
      // Labelled JSON but not JSON: reported as text below, so the caller sees what came.
    }
  }
  return text.length > maxBodyText
    ? { body: null, body_text: text.slice(0, maxBodyText), body_truncated: true }
    : { body: null, body_text: text }
}

/** Sends the signed request; a brand that cannot be reached or does not answer in time is 502 / 504. */
async function relay(url: URL, init: RequestInit): Promise<{ response: Response; text: string }> {
  try {
    // Never follow a redirect: the consent decision redirects to the TPP's own host.
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(sendTimeout) })
    return { response, text: await response.text() }
  } catch (err) {
    if ((err as Error)?.name === 'TimeoutError') {
      throw sandboxError(504, 'send_failed', `the brand did not answer within ${sendTimeout / 1000} s`, {
        cause: err,
      })
    }
    throw sandboxError(502, 'send_failed', 'the signed request could not be sent to the brand', { cause: err })
  }
}

/**
 * `POST /sandbox/http-signatures/send`: signs a request with a kit's QSEAL and sends it, with the
 * kit's QWAC in `X-Client-Certificate`, to one of this sandbox's brands on its plain listener. Browsers
 * may not set the `Date` header a signature covers, so a page cannot send such a request itself.
 * Only GET, POST, PUT and DELETE, only to `/{brand}/...`, only the caller's end-to-end headers.
 */
export function sendSignedRequest(deps: SendDeps): RequestHandler {
  return async (req, res) => {
    const input = readSignatureRequest(req.body)
    const method = sendMethod(input.method)
    if (method === 'GET' && input.hasBody) throw sandboxError(400, 'invalid_request', 'a GET request has no body')
    const headers = outgoingHeaders(input.headers)
    const url = brandUrl(input.path, deps.urls.http, deps.brandIds)
    if (input.softwareId === undefined) throw sandboxError(400, 'invalid_request', 'software_id is required')
    const kit = await deps.kits.get(input.softwareId)
    if (!kit) {
      throw sandboxError(404, 'not_found', 'no TPP kit with this software_id; create one with POST /sandbox/tpps')
    }
    const signed = signHttpRequest({
      method,
      path: input.path,
      body: input.body,
      headers,
      keyPem: kit.qseal.key_pem,
      certPem: kit.qseal.cert_pem,
      algorithm: input.algorithm,
      now: deps.now(),
      ...(input.signedHeaders ? { signedHeaders: input.signedHeaders } : {}),
    })
    const { response, text } = await relay(url, {
      method,
      headers: { ...headers, ...signed.headers, 'x-client-certificate': encodeURIComponent(kit.qwac.cert_pem) },
      ...(input.hasBody ? { body: input.body } : {}),
    })
    const contentType = response.headers.get('content-type')
    const location = response.headers.get('location')
    res.json({
      status: response.status,
      content_type: contentType,
      ...describeBody(contentType, text),
      ...(location === null ? {} : { location }),
      signing_string: signed.signingString,
      headers: signed.headers,
    })
  }
}

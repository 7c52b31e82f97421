import { setNoStore } from '@open-dcr/express'
import type { Request, Response } from 'express'
import type { AuthorizationError } from './authorization-error.js'
import type { RedirectTarget } from './authorization-request.js'
import { errorPage } from './pages.js'

/**
 * Sandbox convenience: a caller that asks for `Accept: application/json` gets JSON instead of a
 * page or a redirect, so scripts and the guided journey need not follow a redirect to a TPP host
 * that does not exist. Browsers (Accept: text/html, or anything) get the real thing.
 */
export const wantsJson = (req: Request): boolean =>
  req.accepts(['text/html', 'application/json']) === 'application/json'

/** Pages and answers that carry codes or transactions are never cached, nor leak through Referer. */
export function privateResponse(res: Response): Response {
  setNoStore(res)
  return res.set({
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'self'",
  })
}

/** The client's redirect URI with the response parameters, `state` and `iss` (RFC 9207) in its query or fragment. */
export function redirectUrl(target: RedirectTarget, parameters: Record<string, string>): string {
  const url = new URL(target.redirectUri)
  const all = new URLSearchParams({
    ...parameters,
    ...(target.state === undefined ? {} : { state: target.state }),
    iss: target.issuer,
  })
  if (target.responseMode === 'query') {
    for (const [name, value] of all) url.searchParams.append(name, value)
  } else {
    url.hash = all.toString()
  }
  return url.toString()
}

/** 303 to `url`, or `{ redirect_to }` for a caller that asked for JSON. */
export function sendRedirect(req: Request, res: Response, url: string): void {
  privateResponse(res)
  if (wantsJson(req)) {
    res.json({ redirect_to: url })
    return
  }
  res.redirect(303, url)
}

/** An error for the user (400 page or JSON), never a redirect: the client or its redirect URI is not confirmed. */
export function sendUserError(
  req: Request,
  res: Response,
  error: AuthorizationError | { code: string; message: string },
): void {
  privateResponse(res).status(400)
  if (wantsJson(req)) {
    res.json({ error: error.code, error_description: error.message })
    return
  }
  res.type('html').send(errorPage(error.code, error.message))
}

/** An error: to the client's redirect URI when it is known good, else to the user. */
export function sendAuthorizationError(
  req: Request,
  res: Response,
  error: AuthorizationError,
  target: RedirectTarget | undefined,
): void {
  if (!target) {
    sendUserError(req, res, error)
    return
  }
  sendRedirect(req, res, redirectUrl(target, { error: error.code, error_description: error.message }))
}

import express, { type Router } from 'express'

/** The sandbox's icon: a bank front in the journey's blue, small enough to inline. */
export const faviconSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">' +
  '<rect width="32" height="32" rx="6" fill="#1f5fbf"/>' +
  '<path d="M16 5 5 11v2h22v-2z M8 14h3v9H8z M14.5 14h3v9h-3z M21 14h3v9h-3z M5 24h22v3H5z" fill="#fff"/>' +
  '</svg>'

/** `GET /favicon.svg` and `GET /favicon.ico` (browsers ask for it unprompted): the same SVG, cached for a day. */
export function faviconRoutes(): Router {
  const router = express.Router()
  router.get(['/favicon.svg', '/favicon.ico'], (_req, res) => {
    res.type('image/svg+xml').set('cache-control', 'public, max-age=86400').send(faviconSvg)
  })
  return router
}

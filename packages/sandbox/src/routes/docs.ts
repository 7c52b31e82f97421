import { fileURLToPath } from 'node:url'
import express, { type Router } from 'express'
import swaggerUi from 'swagger-ui-express'
import { baseUrl } from '../base-url.js'
import type { SandboxUrls } from '../brands.js'
import { docsPrefillRoutes, prefillTargets } from './docs-prefill.js'
import { faviconRoutes } from './favicon.js'

/** The guided journey: one static page, no external assets. */
const journeyPage = fileURLToPath(new URL('../../static/journey.html', import.meta.url))

/** What the documentation is built from. */
export interface DocsDeps {
  openapi: Record<string, unknown>
  brandIds: readonly string[]
  urls: SandboxUrls
}

/** The quick path (kit → signed request → register → token), in that order, before everything else. */
const quickPath = ['Sandbox', 'Registration', 'Token']

function quickPathFirst(tags: unknown): unknown {
  if (!Array.isArray(tags)) return tags
  const rank = (tag: { name?: string }) => {
    const at = quickPath.indexOf(tag.name ?? '')
    return at === -1 ? quickPath.length : at
  }
  return [...(tags as { name?: string }[])].sort((a, b) => rank(a) - rank(b))
}

/** The document's prose names the default ports: say the ones this sandbox listens on. */
function withListenerPorts(info: unknown, urls: SandboxUrls): unknown {
  const described = info as { description?: unknown } | undefined
  if (typeof described?.description !== 'string') return info
  const port = (url: string) => new URL(url).port
  const description = described.description
    .replaceAll('(port 8443)', `(port ${port(urls.mtls)})`)
    .replaceAll('(port 8080)', `(port ${port(urls.http)})`)
  return { ...described, description }
}

/** The OpenAPI document as this listener serves it: its servers, and the brand parameter listing this sandbox's brands. */
function servedOpenApi(deps: DocsDeps, here: string): Record<string, unknown> {
  const other = here.startsWith('https:') ? deps.urls.http : deps.urls.mtls
  // The brand parameter lists this sandbox's brands, so Swagger UI offers them in a dropdown.
  const document = structuredClone(deps.openapi) as {
    info?: unknown
    tags?: unknown
    components?: { parameters?: { Brand?: { schema?: Record<string, unknown> } } }
  }
  const brandSchema = document.components?.parameters?.Brand?.schema
  if (brandSchema) brandSchema.enum = [...deps.brandIds]
  return {
    ...document,
    info: withListenerPorts(document.info, deps.urls),
    tags: quickPathFirst(document.tags),
    servers: [
      { url: here, description: 'this listener' },
      { url: other, description: other.startsWith('https:') ? 'mutual-TLS listener' : 'plain HTTP listener' },
    ],
  }
}

/** `GET /openapi.json`, Swagger UI at `/docs`, the guided journey at `/`, and the favicon they link. */
export function docsRoutes(deps: DocsDeps): Router {
  const router = express.Router()
  router.use(faviconRoutes())
  router.get('/openapi.json', (req, res) => {
    res.json(servedOpenApi(deps, baseUrl(req)))
  })
  router.use(docsPrefillRoutes())
  const swaggerOptions = {
    url: '/openapi.json',
    tryItOutEnabled: true,
    // Read by /docs-prefill.js: which operations take the values an answer carries.
    openDcrPrefill: prefillTargets(deps.openapi),
    // Serialized into the page by swagger-ui-express: it may only use what the page defines.
    responseInterceptor: (response: unknown) => {
      const docs = (globalThis as { openDcrDocs?: { answered(r: unknown): unknown } }).openDcrDocs
      return docs ? docs.answered(response) : response
    },
  }
  router.use(
    '/docs',
    swaggerUi.serveFiles(undefined, { swaggerOptions }),
    swaggerUi.setup(undefined, {
      customSiteTitle: 'open-dcr sandbox API',
      customfavIcon: '/favicon.svg',
      customJs: '/docs-prefill.js',
      swaggerOptions,
    }),
  )
  router.get('/', (_req, res) => {
    res.type('html').sendFile(journeyPage)
  })
  return router
}

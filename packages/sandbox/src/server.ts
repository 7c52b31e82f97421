import { mkdir } from 'node:fs/promises'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { consoleLogger, type Logger } from '@open-dcr/express'
import type { Logger as PinoLogger } from 'pino'
import { createSandboxApp } from './app.js'
import { createBrands, type SandboxUrls } from './brands.js'
import { resolveSandboxConfig, type SandboxConfig } from './config.js'
import { createCreationRateLimits } from './creation-rate-limits.js'
import { openKitRegistry } from './kits.js'
import { createSandboxMetrics } from './observability/metrics.js'
import { loadOpenApi } from './openapi.js'
import { openPortalApps } from './portal-apps.js'
import { privateDirectoryMode } from './private-files.js'
import { createRsaKeyQueue } from './rsa-key-queue.js'
import { openSandboxStore, type SandboxStore } from './sandbox-store.js'
import { loadSandboxState, type SandboxState } from './state.js'
import { withStateLock } from './state-lock.js'

/** Options of {@link startSandbox}; each defaults from the environment the CLI reads. */
export interface SandboxOptions {
  /** Bind address. Default 127.0.0.1. */
  host?: string
  /** Plain HTTP port; 0 picks a free one. Default 8080. */
  port?: number
  /** HTTPS (mutual TLS) port; 0 picks a free one. Default 8443. */
  mtlsPort?: number
  /**
   * Where keys, kits, portal apps and (without `databaseUrl`) clients are kept. Default
   * ./.sandbox-data. Several instances may share one: the first to start creates the keys.
   */
  dataDir?: string
  /**
   * PostgreSQL connection string: clients and replay claims in PostgreSQL, shared by every instance
   * on the same database and schema. Default: none, lowdb files in `dataDir/store` (one process).
   */
  databaseUrl?: string
  /** PostgreSQL schema of the store's tables. Default `open_dcr`. */
  databaseSchema?: string
  /**
   * The URL TPPs reach the plain listener at when it is not the listener's own, e.g. a load balancer
   * in front of several instances: kits publish their JWKS there, and it is an accepted `aud` and
   * issuer. Default: the plain listener's URL.
   */
  publicUrl?: string
  /** Brands and trust. Default: the built-in brands. */
  config?: SandboxConfig
  logger?: Logger
  /**
   * A pino logger for one access-log line per request (request id, method, path, brand, status,
   * duration; never headers, bodies or queries). Default: none. The CLI passes its own.
   */
  accessLogger?: PinoLogger
  /** Clock in epoch ms, for tests (token expiry, secret grace periods). Default `Date.now`. */
  now?: () => number
}

/** A running sandbox. */
export interface RunningSandbox {
  urls: SandboxUrls
  state: SandboxState
  store: SandboxStore
  dataDir: string
  /** Stops both listeners and closes the store. */
  close(): Promise<void>
}

/** `url` without a trailing slash, if it is an http(s) URL with nothing after the path. */
function publicBaseUrl(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined
  if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.search || parsed.hash || parsed.username) {
    throw new TypeError(`publicUrl must be an http(s) URL without query, fragment or credentials, not ${url}`)
  }
  return parsed.href.replace(/\/$/, '')
}

const listen = (server: Server, port: number, host: string) =>
  new Promise<number>((done, fail) => {
    server.once('error', fail)
    server.listen(port, host, () => {
      server.off('error', fail)
      done((server.address() as AddressInfo).port)
    })
  })

const stop = (server: Server) =>
  new Promise<void>((done) => {
    server.close(() => done())
    server.closeAllConnections()
  })

/**
 * Starts the sandbox bank: plain HTTP and HTTPS listeners (the latter asks for, but does not
 * demand, a client certificate), with state in `dataDir`.
 *
 * @example
 * const sandbox = await startSandbox({ port: 0, mtlsPort: 0, dataDir: './tmp' })
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1'
  const dataDir = resolve(options.dataDir ?? '.sandbox-data')
  const logger = options.logger ?? consoleLogger
  const config = options.config ?? resolveSandboxConfig()
  // A new data directory is private; an existing one is left as it is (it may be the user's own
  // folder): the files with keys in it are 0600 and their folders 0700 whatever it is.
  await mkdir(dataDir, { recursive: true, mode: privateDirectoryMode })
  const now = options.now ?? Date.now
  const publicUrl = options.publicUrl === undefined ? undefined : publicBaseUrl(options.publicUrl)
  const store = await openSandboxStore({
    dataDir,
    databaseUrl: options.databaseUrl,
    databaseSchema: options.databaseSchema,
    now,
    logger,
  })
  try {
    const state = await withStateLock(dataDir, () => loadSandboxState(dataDir, config.brands))
    const http = createHttpServer()
    const https = createHttpsServer({
      key: state.server.keyPem,
      cert: state.server.certPem,
      ca: [state.ca.certPem, ...config.clientCas],
      requestCert: true,
      rejectUnauthorized: false,
    })
    const httpPort = await listen(http, options.port ?? 8080, host)
    const mtlsPort = await listen(https, options.mtlsPort ?? 8443, host).catch(async (err) => {
      await stop(http)
      throw err
    })
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host
    const listenerUrl = `http://${shown}:${httpPort}`
    const urls: SandboxUrls = {
      http: listenerUrl,
      mtls: `https://localhost:${mtlsPort}`,
      public: publicUrl ?? listenerUrl,
    }
    const rsaKeys = createRsaKeyQueue()
    const kits = await openKitRegistry(dataDir, state, urls.public, rsaKeys.take)
    const portalApps = await openPortalApps(dataDir, config.portalApps)
    const metrics = createSandboxMetrics(config.brands.map((brand) => brand.id))
    const brands = createBrands(config, { store, state, urls, logger, now, portalApps, metrics })
    const creationLimits = createCreationRateLimits(config.rateLimit)
    const app = createSandboxApp({
      creationLimits,
      brands,
      kits,
      portalApps,
      state,
      store,
      urls,
      openapi: loadOpenApi(),
      logger,
      now,
      metrics,
      ...(options.accessLogger ? { accessLogger: options.accessLogger } : {}),
      ...(config.cors.origins ? { corsOrigins: config.cors.origins } : {}),
    })
    http.on('request', app)
    https.on('request', app)
    return {
      urls,
      state,
      store,
      dataDir,
      async close() {
        creationLimits.close()
        await Promise.all([stop(http), stop(https)])
        await store.close()
      },
    }
  } catch (err) {
    await store.close()
    throw err
  }
}

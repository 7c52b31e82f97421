#!/usr/bin/env node
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { loadSandboxConfig, resolveSandboxConfig } from './config.js'
import { sandboxDefaults } from './defaults.js'
import { startSandbox } from './server.js'

// People at a terminal read pino-pretty's lines; anything else (a pipe, a container, CI) gets JSON.
const pretty = process.stdout.isTTY === true && !process.env.CI
const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'open-dcr-sandbox' },
  ...(pretty ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname,service' } } } : {}),
})

function port(name: string, fallback: number): number {
  const value = process.env[name]
  if (value === undefined || value === '') return fallback
  const parsed = Number(value)
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535)
    throw new Error(`${name} must be a port number (0-65535)`)
  return parsed
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' } }, allowPositionals: false })
  const configFile = values.config ?? process.env.SANDBOX_CONFIG
  const config = configFile ? await loadSandboxConfig(configFile) : resolveSandboxConfig()
  const sandbox = await startSandbox({
    host: process.env.HOST ?? sandboxDefaults.host,
    port: port('PORT', sandboxDefaults.port),
    mtlsPort: port('MTLS_PORT', sandboxDefaults.mtlsPort),
    dataDir: process.env.DATA_DIR ?? sandboxDefaults.dataDir,
    ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
    ...(process.env.DATABASE_SCHEMA ? { databaseSchema: process.env.DATABASE_SCHEMA } : {}),
    ...(process.env.PUBLIC_URL ? { publicUrl: process.env.PUBLIC_URL } : {}),
    config,
    logger,
    accessLogger: logger,
  })
  logger.info(
    {
      http: sandbox.urls.http,
      mtls: sandbox.urls.mtls,
      public: sandbox.urls.public,
      dataDir: sandbox.dataDir,
      // Which store, never its URL (it may carry a password).
      store: process.env.DATABASE_URL ? 'postgres' : 'lowdb',
      brands: config.brands.map((b) => b.id),
    },
    `open-dcr sandbox listening: ${sandbox.urls.http} (docs: ${sandbox.urls.http}/docs) and ${sandbox.urls.mtls}`,
  )
  let stopping = false
  const shutdown = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping')
    sandbox.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: { message: (err as Error).message } }, 'stop failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'))
  process.on('SIGINT', () => shutdown('SIGINT'))
}

main().catch((err: unknown) => {
  logger.fatal({ err: { message: (err as Error).message } }, 'sandbox failed to start')
  process.exit(1)
})

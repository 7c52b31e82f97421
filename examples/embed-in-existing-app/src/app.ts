import { createDcrRouter, type SoftwareJwksOptions, type TrustedDirectory } from '@open-dcr/express'
import { createLowdbStore } from '@open-dcr/store-lowdb'
import express, { type ErrorRequestHandler } from 'express'

export interface BankOptions {
  dataDir: string
  issuer: string
  directories: TrustedDirectory[]
  /** Only to point the bank at a local sandbox or test JWKS server (plain HTTP on loopback): its origin in `trustedOrigins`. */
  softwareJwks?: SoftwareJwksOptions
}

/** The bank's existing app, now with Dynamic Client Registration under /open-banking. */
export async function createBankApp(options: BankOptions) {
  const app = express()
  app.get('/accounts/health', (_req, res) => {
    res.json({ ok: true })
  })
  app.get('/accounts/fail', () => {
    throw new Error('the bank’s own failure')
  })

  // --- open-dcr wiring -------------------------------------------------------------------
  const store = await createLowdbStore({ dir: options.dataDir })
  app.use(
    '/open-banking',
    createDcrRouter({
      issuer: options.issuer,
      profile: 'ob-uk',
      store,
      replayStore: store,
      directories: options.directories,
      ...(options.softwareJwks ? { softwareJwks: options.softwareJwks } : {}),
      hooks: { registered: (client) => console.log(`registered ${client.clientId} for ${client.softwareId}`) },
    }),
  )
  // ---------------------------------------------------------------------------------------

  const onError: ErrorRequestHandler = (_err, _req, res, _next) => {
    res.status(500).json({ message: 'bank error page' })
  }
  app.use(onError)
  return { app, close: () => store.close() }
}

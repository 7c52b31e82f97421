import type { Response } from 'express'
import { tenantClients } from '../client-auth/tenant-clients.js'
import { DcrError } from '../http/dcr-error.js'
import type { Config } from '../options.js'
import type { ClientRecord } from '../stores/types.js'
import { invalidToken } from './authenticate.js'
import { context, required } from './context.js'
import { replaceRegistrationAccessToken } from './registration-access-token.js'

/** Attempts before a conflicting concurrent change is reported as 409. */
const attempts = 3

/**
 * Replaces the authenticated client's record with `change(current)` by compare-and-set. If another
 * request changed the client in between, the change is applied again to the newer record (each
 * management change is a complete replacement, so no write is lost); after three conflicts → 409.
 * Brands that manage clients by registration access token get a new token in the same write
 * (RFC 7592 §3: the answer carries it); the replaced one keeps working for the grace period.
 */
export async function replaceRecord(
  config: Config,
  res: Response,
  change: (current: ClientRecord) => Omit<ClientRecord, 'version' | 'updatedAt'>,
): Promise<ClientRecord> {
  const ctx = context(res)
  const clients = tenantClients(config.store, config.tenant)
  // Authenticated as this tenant's client; re-read through the tenant's view after a lost race.
  let current: ClientRecord | undefined = required(res, 'client')
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (!current) throw invalidToken('the client is not registered (or was deleted)')
    const now = config.now()
    const next: ClientRecord = { ...change(current), version: current.version + 1, updatedAt: now }
    let token: string | undefined
    if (config.management.registrationAccessToken) {
      const issued = replaceRegistrationAccessToken(current, now, config.management.registrationAccessTokenGracePeriod)
      delete next.previousRegistrationAccessTokens
      Object.assign(next, issued.fields)
      token = issued.token
    }
    if (await config.store.update(next, current.version)) {
      ctx.record = next
      if (token !== undefined) ctx.credentials = { ...ctx.credentials, registrationAccessToken: token }
      return next
    }
    current = await clients.get(current.clientId)
  }
  throw new DcrError('invalid_request', 'the client was changed by concurrent requests; send the request again', {
    status: 409,
  })
}

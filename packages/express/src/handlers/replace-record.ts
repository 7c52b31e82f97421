import type { Response } from 'express'
import { hashCredential, newRegistrationAccessToken } from '../credentials.js'
import { DcrError } from '../errors.js'
import type { Config } from '../options.js'
import type { ClientRecord } from '../stores/types.js'
import { invalidToken } from './authenticate.js'
import { context, required } from './context.js'

/** Attempts before a conflicting concurrent change is reported as 409. */
const attempts = 3

/**
 * Replaces the authenticated client's record with `change(current)` by compare-and-set. If another
 * request changed the client in between, the change is applied again to the newer record (each
 * management change is a complete replacement, so no write is lost); after three conflicts → 409.
 * Rotates the registration access token in the same write when the brand asks for that.
 */
export async function replaceRecord(
  config: Config,
  res: Response,
  change: (current: ClientRecord) => Omit<ClientRecord, 'version' | 'updatedAt'>,
): Promise<ClientRecord> {
  const ctx = context(res)
  let current: ClientRecord | undefined = required(res, 'client')
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (!current || current.tenant !== config.tenant)
      throw invalidToken('the client is not registered (or was deleted)')
    const next: ClientRecord = { ...change(current), version: current.version + 1, updatedAt: config.now() }
    const rotatedToken = rotatesToken(config, res) ? newRegistrationAccessToken(current.clientId) : undefined
    if (rotatedToken !== undefined) next.registrationAccessTokenHash = hashCredential(rotatedToken)
    if (await config.store.update(next, current.version)) {
      ctx.record = next
      if (rotatedToken !== undefined) ctx.credentials = { ...ctx.credentials, registrationAccessToken: rotatedToken }
      return next
    }
    current = await config.store.get(current.clientId)
  }
  throw new DcrError('invalid_request', 'the client was changed by concurrent requests; send the request again', {
    status: 409,
  })
}

/** Whether this request's registration access token is to be replaced by a new one. */
export function rotatesToken(config: Config, res: Response): boolean {
  return config.management.rotateRegistrationAccessToken && context(res).authenticatedBy === 'registration_access_token'
}

import { createHash } from 'node:crypto'
import type { Clock, ReplayStore } from '@open-dcr/express'
import type { RunStatement } from './statement-runner.js'

/** SHA-256 of the key's UTF-16 code units: a fixed 32-byte index entry for a key of any length or content. */
const keyHash = (key: string) => createHash('sha256').update(Buffer.from(key, 'utf16le')).digest()

/** Replay claims in `<schema>.replay_claims`, plus the statement that deletes expired ones. */
export interface ReplayClaims extends ReplayStore {
  /** Deletes at most `limit` claims that expired by the store's clock; resolves with how many went. */
  sweep(limit: number): Promise<number>
}

/**
 * A claim is one statement: insert the key, or, when it is already there, take it over only if
 * that claim has expired. Concurrent claims of one key queue on its row; exactly one returns a row.
 */
export function replayClaims(run: RunStatement, s: string, now: Clock): ReplayClaims {
  const claim = `
    INSERT INTO ${s}.replay_claims AS claimed (key_hash, expires_at) VALUES ($1, $2)
    ON CONFLICT (key_hash) DO UPDATE SET expires_at = EXCLUDED.expires_at
     WHERE claimed.expires_at <= $3
    RETURNING 1`
  // SKIP LOCKED: instances sweeping at once, or a claim taking a row over, never wait on each other.
  const sweep = `
    DELETE FROM ${s}.replay_claims WHERE key_hash IN (
      SELECT key_hash FROM ${s}.replay_claims WHERE expires_at <= $1
       ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)`
  return {
    async claim(key, expiresAt) {
      const result = await run(claim, [keyHash(key), Math.ceil(expiresAt), Math.floor(now())])
      return result.rowCount === 1
    },
    async sweep(limit) {
      const result = await run(sweep, [Math.floor(now()), limit])
      return result.rowCount ?? 0
    },
  }
}

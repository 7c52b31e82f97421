import type { RequestHandler } from 'express'
import express from 'express'
import type { CreationRateLimits } from '../creation-rate-limits.js'
import { noStore } from '../no-store.js'

/** What every sandbox POST runs first. */
export interface PostSteps {
  /**
   * Every sandbox POST answers with keys, secrets, signatures or signed requests: no cache keeps
   * them (no-store), then the JSON body (at most 64 KiB).
   */
  post: readonly RequestHandler[]
  /** The creation limit per client address for kits or portal apps, run before the body is read (a refused request costs nothing). */
  limited(what: keyof Omit<CreationRateLimits, 'close'>): readonly RequestHandler[]
}

/** The steps every sandbox POST shares; without limits, creation is unlimited. */
export function postSteps(limits: CreationRateLimits | undefined): PostSteps {
  return {
    post: [noStore, express.json({ limit: '64kb' })],
    limited: (what) => (limits ? [limits[what]] : []),
  }
}

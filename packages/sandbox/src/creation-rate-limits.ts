import type { RequestHandler } from 'express'
import { MemoryStore, rateLimit } from 'express-rate-limit'
import { sandboxError } from './sandbox-error.js'

/** How many kits and portal apps one client address may create per window (the `rateLimit` config key). */
export interface CreationRateLimitConfig {
  /** Length of the window, seconds. Default 60. */
  windowSeconds: number
  /** `POST /sandbox/tpps` per client address per window; 0 turns the limit off. Default 30. */
  kits: number
  /** `POST /sandbox/portal-apps` per client address per window; 0 turns the limit off. Default 30. */
  portalApps: number
}

/** The limits a sandbox starts with. */
export const defaultCreationRateLimits: Readonly<CreationRateLimitConfig> = {
  windowSeconds: 60,
  kits: 30,
  portalApps: 30,
}

const fail = (field: string, why: string): never => {
  throw new Error(`sandbox config: "rateLimit.${field}" ${why}`)
}

/** Validates the config file's `rateLimit` object (absent: the defaults), naming a wrong field. */
export function resolveCreationRateLimits(value: unknown): CreationRateLimitConfig {
  if (value === undefined) return { ...defaultCreationRateLimits }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('sandbox config: "rateLimit" must be an object { windowSeconds, kits, portalApps }')
  }
  const given = value as Record<string, unknown>
  for (const field of Object.keys(given)) {
    if (!(field in defaultCreationRateLimits)) fail(field, 'is not a setting (windowSeconds, kits, portalApps)')
  }
  const resolved = { ...defaultCreationRateLimits, ...given } as Record<keyof CreationRateLimitConfig, unknown>
  const whole = (field: keyof CreationRateLimitConfig, min: number, max: number): number => {
    const number = resolved[field]
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      return fail(field, `must be a whole number from ${min} to ${max}`)
    }
    return number
  }
  return {
    windowSeconds: whole('windowSeconds', 1, 86_400),
    kits: whole('kits', 0, 1_000_000),
    portalApps: whole('portalApps', 0, 1_000_000),
  }
}

/** The two limiters, and their stores' timers to stop when the sandbox closes. */
export interface CreationRateLimits {
  kits: RequestHandler
  portalApps: RequestHandler
  close(): void
}

const unlimited: RequestHandler = (_req, _res, next) => next()

/**
 * Rate limits on what costs the sandbox CPU and disk: kits (five RSA keys each) and portal apps,
 * per client address (IPv6 by /56), with `RateLimit`/`RateLimit-Policy` headers (IETF draft 8) and,
 * past the limit, 429 `too_many_requests` in the sandbox's error shape with `Retry-After`.
 * One instance serves both listeners, so the count is shared.
 */
export function createCreationRateLimits(config: CreationRateLimitConfig): CreationRateLimits {
  const stores: MemoryStore[] = []
  const limiter = (limit: number, identifier: string, what: string): RequestHandler => {
    if (limit === 0) return unlimited
    const store = new MemoryStore()
    stores.push(store)
    return rateLimit({
      windowMs: config.windowSeconds * 1000,
      limit,
      store,
      identifier,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => {
        next(
          sandboxError(
            429,
            'too_many_requests',
            `at most ${limit} ${what} per ${config.windowSeconds} s from one address; try again after Retry-After seconds`,
          ),
        )
      },
    })
  }
  return {
    kits: limiter(config.kits, 'kits', 'kits'),
    portalApps: limiter(config.portalApps, 'portal-apps', 'portal apps'),
    close() {
      for (const store of stores) store.shutdown()
    },
  }
}

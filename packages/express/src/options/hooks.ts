import type { DcrErrorCode } from '../http/dcr-error.js'
import type { ClientRecord } from '../stores/types.js'
import { fail } from './checks.js'

/** A request the middleware answered with an error: what metrics count (never the request's content). */
export interface DcrRefusal {
  /** The RFC 7591 / 6749 / 6750 error code answered, e.g. `invalid_software_statement`. */
  error: DcrErrorCode
  /** The HTTP status answered. */
  status: number
  /** The request's method. */
  method: string
}

/** Functions called after a change is stored, or a request refused. An exception is logged, never turned into an error response. */
export interface DcrHooks {
  /** Called after a new client is stored (the record holds hashes, never secrets). */
  registered?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client's metadata is replaced (PUT). */
  updated?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client is deleted, with its last record. */
  deleted?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client's secret is rotated. */
  secretRotated?: (client: ClientRecord) => void | Promise<void>
  /** Called after an error answer is sent (a refusal, an unavailable store, an unexpected failure). */
  refused?: (refusal: DcrRefusal) => void
}

const hookNames: readonly (keyof DcrHooks)[] = ['registered', 'updated', 'deleted', 'secretRotated', 'refused']

/** Validates `hooks`: an object of known hook names, each a function. A misspelt hook would never run. */
export function resolveHooks(hooks: DcrHooks | undefined): DcrHooks {
  if (hooks === undefined) return {}
  if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) {
    return fail('hooks', `must be an object with any of ${hookNames.join(', ')}`)
  }
  for (const [name, hook] of Object.entries(hooks)) {
    if (!hookNames.includes(name as keyof DcrHooks)) {
      fail(`hooks.${name}`, `is not a hook; hooks are ${hookNames.join(', ')}`)
    }
    if (hook !== undefined && typeof hook !== 'function') fail(`hooks.${name}`, 'must be a function')
  }
  return hooks
}

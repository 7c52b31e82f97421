import type { ClientRecord } from '../stores/types.js'
import { fail } from './checks.js'

/** Functions called after a change is stored. An exception is logged, never turned into an error response. */
export interface DcrHooks {
  /** Called after a new client is stored (the record holds hashes, never secrets). */
  registered?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client's metadata is replaced (PUT). */
  updated?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client is deleted, with its last record. */
  deleted?: (client: ClientRecord) => void | Promise<void>
  /** Called after a client's secret is rotated. */
  secretRotated?: (client: ClientRecord) => void | Promise<void>
}

const hookNames: readonly (keyof DcrHooks)[] = ['registered', 'updated', 'deleted', 'secretRotated']

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
    if (hook !== undefined && typeof hook !== 'function') fail(`hooks.${name}`, 'must be a function (client) => void')
  }
  return hooks
}

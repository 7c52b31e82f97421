import { StoreUnavailableError } from '@open-dcr/express'
import { DatabaseError } from 'pg'

/**
 * SQLSTATE classes that mean "the database cannot serve now", not "this request is wrong":
 * 08 connection exception, 53 insufficient resources (too many connections, disk full, out of
 * memory), 57 operator intervention (statement timeout, admin or crash shutdown, starting up),
 * 58 system error (I/O).
 */
const unavailableClasses = new Set(['08', '53', '57', '58'])
/** Transient single codes: serialization failure, deadlock, lock timeout, read-only (a standby after failover). */
const unavailableCodes = new Set(['40001', '40P01', '55P03', '25006'])
/** Socket errors on the way to the server. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
])
/**
 * pg 8.23.1 reports a lost or timed-out connection with plain errors that carry no code; these are
 * its exact messages (the version is pinned, and the tests stop a real server to keep this true).
 */
const pgConnectionMessages = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
])

function isUnavailable(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 3) return false
  if (err instanceof DatabaseError) {
    const code = err.code ?? ''
    return unavailableClasses.has(code.slice(0, 2)) || unavailableCodes.has(code)
  }
  const code = (err as NodeJS.ErrnoException).code
  if (typeof code === 'string' && socketCodes.has(code)) return true
  if (err instanceof AggregateError && err.errors.some((inner) => isUnavailable(inner, depth + 1))) return true
  return pgConnectionMessages.has(err.message) || isUnavailable(err.cause, depth + 1)
}

/** Short, secret-free reason for the log: the SQLSTATE or socket code, or pg's message. */
function reasonOf(err: Error): string {
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' ? `${code} ${err.message}` : err.message
}

/**
 * The error an operation should throw: a {@link StoreUnavailableError} (503 + Retry-After) when
 * PostgreSQL cannot serve now, else `err` unchanged (a bug, rethrown as it is).
 */
export function storeError(err: unknown, retryAfter: number): unknown {
  if (err instanceof StoreUnavailableError || !isUnavailable(err)) return err
  return new StoreUnavailableError(`PostgreSQL is unavailable: ${reasonOf(err as Error)}`, { retryAfter, cause: err })
}

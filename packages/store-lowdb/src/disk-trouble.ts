import { StoreUnavailableError } from '@open-dcr/express'

/** Errors of a disk that cannot take writes for now (or fails), and what they mean to an operator. */
const passing: ReadonlyMap<string, string> = new Map([
  ['ENOSPC', 'no space left on device'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EROFS', 'file system is read-only'],
  ['EIO', 'input/output error'],
])

/** Seconds a client is asked to wait: long enough for an operator to notice and free space. */
export const diskRetryAfter = 30

/**
 * Turns a file-system error that is the disk's passing trouble (full, over quota, read-only, I/O
 * error) into a {@link StoreUnavailableError}, which the middleware answers with 503 and
 * `Retry-After` instead of 500. Any other error is returned as it is.
 */
export function asStoreError(err: unknown, action: string): unknown {
  if (!(err instanceof Error) || err instanceof StoreUnavailableError) return err
  const code = (err as NodeJS.ErrnoException).code
  const meaning = code === undefined ? undefined : passing.get(code)
  if (meaning === undefined) return err
  return new StoreUnavailableError(`lowdb store cannot ${action}: ${meaning} (${code})`, {
    retryAfter: diskRetryAfter,
    cause: err,
  })
}

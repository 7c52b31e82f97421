/**
 * Claims are filed by expiry: one log per five minutes of `expiresAt`. A log holds only claims that
 * expire before its end, so once the clock passes the end the whole file is deleted, never rewritten.
 */
export const bucketWidth = 5 * 60_000

/** The end (epoch ms, exclusive) of the bucket a claim expiring at `expiresAt` is filed in. */
export function bucketEndOf(expiresAt: number): number {
  return (Math.floor(expiresAt / bucketWidth) + 1) * bucketWidth
}

/** A bucket's log file name: `until-<end>.log`, every claim in it expiring before `end` (epoch ms). */
export function bucketFileName(end: number): string {
  return `until-${end}.log`
}

const namePattern = /^until-(-?\d+)\.log$/

/** The end a log file name stands for, or undefined when the name is not a claim log's. */
export function bucketEndFromFileName(name: string): number | undefined {
  const digits = namePattern.exec(name)?.[1]
  if (digits === undefined) return undefined
  const end = Number(digits)
  return Number.isSafeInteger(end) && String(end) === digits ? end : undefined
}

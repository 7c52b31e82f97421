/**
 * How a replay claim is written in a claim log: one line per claim, `["<key>",<expiresAt>]` and a
 * newline. JSON escapes every control character, so no key can end a line early or forge another
 * claim, and `__proto__` is a string like any other.
 */
export function claimLine(key: string, expiresAt: number): string {
  return `${JSON.stringify([key, expiresAt])}\n`
}

/** What {@link readClaimLines} found in a claim log. */
export interface ClaimLogContent {
  /** Bytes up to and including the last newline: anything after it is a write cut short. */
  completeLength: number
  /** Complete lines that are not claims: what a write cut short by a crash or a full disk left. */
  unreadableLines: number
}

const newline = 0x0a

/**
 * Calls `onClaim` for every well-formed claim line of a claim log's bytes. An incomplete final line
 * (no newline: an append cut short by a crash) is not read; neither is any line that is not a
 * claim. Neither can hold an acknowledged claim: a claim is acknowledged only once its whole line
 * is on disk, and a failed append is cut back off the file before the next one.
 */
export function readClaimLines(bytes: Buffer, onClaim: (key: string, expiresAt: number) => void): ClaimLogContent {
  let start = 0
  let unreadableLines = 0
  for (let end = bytes.indexOf(newline, start); end >= 0; end = bytes.indexOf(newline, start)) {
    const claim = parseClaim(bytes.toString('utf8', start, end))
    if (claim) onClaim(claim[0], claim[1])
    else unreadableLines++
    start = end + 1
  }
  return { completeLength: start, unreadableLines }
}

function parseClaim(line: string): [string, number] | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (!Array.isArray(value) || value.length !== 2) return undefined
  const [key, expiresAt] = value as unknown[]
  if (typeof key !== 'string' || typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined
  return [key, expiresAt]
}

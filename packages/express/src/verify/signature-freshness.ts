import type { SignatureParameters } from './signature-header.js'

/** `Date` must be an HTTP date within `maxSkew` seconds of now: the problem, or undefined. */
export function dateProblem(date: string | undefined, nowMs: number, maxSkew: number): string | undefined {
  if (date === undefined) return undefined
  const at = Date.parse(date)
  if (Number.isNaN(at)) return `Date "${date}" is not an HTTP date (IMF-fixdate)`
  if (Math.abs(nowMs - at) <= maxSkew * 1000) return undefined
  return `Date "${date}" is more than ${maxSkew} s from the server's time (${new Date(nowMs).toUTCString()})`
}

/**
 * draft-cavage-12 §2.1.4-5: a signature created in the future, or whose `expires` has passed, must
 * not be processed. `created` may be ahead by the Date skew (clocks differ) and, like `Date`, must
 * be no older than it.
 */
export function timestampProblems(params: SignatureParameters, nowMs: number, maxSkew: number): string[] {
  const now = Math.floor(nowMs / 1000)
  const problems: string[] = []
  if (params.created !== undefined) {
    if (params.created > now + maxSkew)
      problems.push(`created=${params.created} is ${params.created - now} s in the future`)
    else if (params.created < now - maxSkew) {
      problems.push(`created=${params.created} is ${now - params.created} s old; at most ${maxSkew} s is accepted`)
    }
  }
  if (params.expires !== undefined && params.expires < now) {
    problems.push(`the signature expired at expires=${params.expires}, ${now - params.expires} s ago`)
  }
  if (params.created !== undefined && params.expires !== undefined && params.expires < params.created) {
    problems.push(`expires=${params.expires} is before created=${params.created}`)
  }
  return problems
}

import type { Outcome, Verdict } from './verdict.js'

/** Longest response body shown on the console; the full body is in the brand's log. */
const bodyLimit = 300

const shorten = (body: string): string =>
  body.length > bodyLimit
    ? `${body.slice(0, bodyLimit)}… (${body.length - bodyLimit} more characters in the log)`
    : body

/**
 * A verdict as console lines: `OUTCOME brand scenario-id name`, then for a FAIL or KNOWN each failed
 * step with the server's answer (status and body), and the note (skip reason, known limitation).
 */
export function formatVerdict(verdict: Verdict, brandWidth = 0): string[] {
  const head = `${verdict.outcome.padEnd(5)}  ${verdict.brand.padEnd(brandWidth)}  ${verdict.id}  ${verdict.name}`
  if (verdict.outcome === 'PASS') return [head]
  if (verdict.outcome === 'SKIP') return [`${head} (skipped by the tool: ${verdict.note})`]
  const lines = [head]
  if (verdict.note) lines.push(`       ${verdict.note}`)
  for (const failure of verdict.failures) {
    lines.push(`       failed step: ${failure.testCase} › ${failure.step}: ${failure.reason}`)
    lines.push(
      failure.answer
        ? `       server answered: ${failure.answer.status}${failure.answer.body ? ` ${shorten(failure.answer.body)}` : ''}`
        : '       server answered: (no response in the debug log)',
    )
  }
  return lines
}

/** Counts per outcome. */
export type Tally = Record<Outcome, number>

/** Counts verdicts by outcome. */
export function tally(verdicts: readonly Verdict[]): Tally {
  const counts: Tally = { PASS: 0, FAIL: 0, SKIP: 0, KNOWN: 0 }
  for (const verdict of verdicts) counts[verdict.outcome]++
  return counts
}

/** The closing line, e.g. `conformance: 63 passed, 0 failed, 5 skipped, 2 known tool limitations (7 brands)`. */
export function summaryLine(counts: Tally, brands: number, errors: number): string {
  const parts = [`${counts.PASS} passed`, `${counts.FAIL} failed`, `${counts.SKIP} skipped`]
  if (counts.KNOWN) parts.push(`${counts.KNOWN} known tool limitation${counts.KNOWN === 1 ? '' : 's'}`)
  if (errors) parts.push(`${errors} brand${errors === 1 ? '' : 's'} where the tool could not run`)
  return `conformance: ${parts.join(', ')} (${brands} brand${brands === 1 ? '' : 's'})`
}

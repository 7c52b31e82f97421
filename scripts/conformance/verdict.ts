import { type ServerAnswer, serverAnswer } from './server-answer.js'
import type { ToolScenario } from './tool-output.js'

/**
 * A scenario's outcome on one brand. `KNOWN` is a failure caused by the tool itself (see
 * {@link knownToolLimitation}); it is reported, never counted as a pass, and does not fail the run.
 */
export type Outcome = 'PASS' | 'FAIL' | 'SKIP' | 'KNOWN'

/** One failed step of a scenario. */
export interface StepFailure {
  testCase: string
  step: string
  reason: string
  /** The bank's answer behind the failure, from the debug log; null when the log shows none. */
  answer: ServerAnswer | null
}

/** The outcome of one scenario on one brand. */
export interface Verdict {
  outcome: Outcome
  brand: string
  id: string
  name: string
  /** Why: the tool's skip reason, the known limitation, or why a scenario without steps failed. */
  note: string
  failures: StepFailure[]
}

/** What the verdict needs to know about the brand under test. */
export interface BrandUnderTest {
  id: string
  /** Whether the brand offers `DELETE /register/{clientId}` (the tool's `delete_implemented`). */
  deleteImplemented: boolean
}

/**
 * DCR-009 (PUT) and DCR-010 (GET) delete a client and then expect 401 for it. With
 * `delete_implemented: false` the tool skips the DELETE but still expects the 401; the client
 * rightly still exists, so the bank answers 200.
 */
const afterSkippedDelete = new Set(['DCR-009', 'DCR-010'])
const stillThere = /^Expecting status code 401 but got 200$/

/**
 * The reason a failed scenario is a known limitation of the tool rather than of the bank, or null.
 * Only DCR-009/DCR-010 on a brand with DELETE switched off, and only when every failure is the
 * 401-after-delete assertion answered 200.
 */
export function knownToolLimitation(scenario: ToolScenario, brand: BrandUnderTest): string | null {
  if (brand.deleteImplemented || !afterSkippedDelete.has(scenario.id)) return null
  const failed = scenario.testCases.flatMap((testCase) => testCase.steps.filter((step) => !step.passed))
  const expected = failed.length > 0 && failed.every((step) => stillThere.test(step.reason))
  return expected
    ? 'tool limitation: DELETE is switched off on this brand (delete_implemented false), the tool skips the ' +
        'DELETE but still expects 401 for the client, which rightly still exists (200)'
    : null
}

/**
 * Judges one scenario of the tool's output for a brand.
 *
 * @example
 * const verdicts = parseToolOutput(log).scenarios.map((s) => judgeScenario(s, { id, deleteImplemented }))
 */
export function judgeScenario(scenario: ToolScenario, brand: BrandUnderTest): Verdict {
  const base = { brand: brand.id, id: scenario.id, name: scenario.name }
  if (scenario.skip !== null) return { ...base, outcome: 'SKIP', note: scenario.skip, failures: [] }
  const failures = scenario.testCases.flatMap((testCase) =>
    testCase.steps.flatMap((step, index) =>
      step.passed
        ? []
        : [{ testCase: testCase.name, step: step.name, reason: step.reason, answer: serverAnswer(testCase, index) }],
    ),
  )
  if (failures.length > 0) {
    const known = knownToolLimitation(scenario, brand)
    return { ...base, outcome: known ? 'KNOWN' : 'FAIL', note: known ?? '', failures }
  }
  const ran = scenario.testCases.some((testCase) => testCase.steps.length > 0)
  return ran
    ? { ...base, outcome: 'PASS', note: '', failures }
    : { ...base, outcome: 'FAIL', note: 'the tool reported no step for this scenario', failures }
}

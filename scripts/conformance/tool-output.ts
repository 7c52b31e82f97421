/**
 * Reads the output of the official OB DCR conformance tool (`conformance-dcr -debug`) into
 * scenarios, test cases and steps. The tool prints each step's result line (`PASS name` or
 * `FAIL name: reason`) followed by that step's debug messages (`2006/01/02 15:04:05 <message>`,
 * a message may span lines, e.g. an HTTP dump), so every debug message belongs to the step above it.
 */

/** One step of a test case, with the debug messages the tool logged for it. */
export interface ToolStep {
  name: string
  passed: boolean
  /** The tool's reason for a FAIL; empty for a PASS. */
  reason: string
  /** The step's debug messages, ANSI colours removed, timestamps dropped. */
  debug: string[]
}

/** A test case of a scenario. */
export interface ToolTestCase {
  name: string
  /** The tool's `(SKIP …)` reason, or null when the test case ran. */
  skip: string | null
  steps: ToolStep[]
}

/** A scenario (`DCR-00N`). */
export interface ToolScenario {
  /** E.g. `DCR-009`. */
  id: string
  /** The scenario's name without its `(SKIP …)` marker. */
  name: string
  /** The tool's `(SKIP …)` reason, or null when the scenario ran. */
  skip: string | null
  testCases: ToolTestCase[]
}

/** Everything the tool printed, in order. */
export interface ToolOutput {
  /** Lines before the first scenario: the banner, warnings, and errors such as a bad config. */
  preamble: string[]
  scenarios: ToolScenario[]
}

const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')
const colourStart = String.fromCharCode(27)
const colourReset = `${colourStart}[0m`
const scenarioLine = /^=== Scenario: (\S+) - (.*)$/
const testCaseLine = /^\tTest case: (.*)$/
const passLine = /^\t\tPASS (.*)$/
const failLine = /^\t\tFAIL (.*?): (.*)$/
const debugLine = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} (.*)$/
const skipMarker = /^\(SKIP ([^)]*)\)\s*(.*)$/

/** Removes ANSI colour sequences. */
export const stripAnsi = (text: string): string => text.replace(ansi, '')

const splitSkip = (name: string): { name: string; skip: string | null } => {
  const match = skipMarker.exec(name)
  return match ? { name: match[2] ?? '', skip: match[1] ?? '' } : { name, skip: null }
}

/**
 * Parses the tool's output (stdout and stderr as one stream, colours included or not).
 *
 * @example
 * const { scenarios } = parseToolOutput(await readFile('northbank-personal.log', 'utf8'))
 */
export function parseToolOutput(text: string): ToolOutput {
  const output: ToolOutput = { preamble: [], scenarios: [] }
  let scenario: ToolScenario | undefined
  let testCase: ToolTestCase | undefined
  let step: ToolStep | undefined
  // The step's last debug message: `open` (coloured, until its colour reset every line is part of
  // it), `plain` (uncoloured, it goes on until the tool starts a line of its own, blank lines
  // included) or `closed`.
  let message: 'open' | 'plain' | 'closed' = 'closed'

  const appendToMessage = (line: string) => {
    const messages = step?.debug
    if (messages && messages.length > 0) messages[messages.length - 1] += `\n${stripAnsi(line)}`
    else if (line !== '') output.preamble.push(stripAnsi(line))
  }

  for (const raw of text.replace(/\n$/, '').split('\n')) {
    const line = raw.replace(/\r$/, '')
    if (message === 'open') {
      appendToMessage(line)
      if (line.endsWith(colourReset)) message = 'closed'
      continue
    }
    const plain = stripAnsi(line)
    const scenarioMatch = scenarioLine.exec(plain)
    const testCaseMatch = scenario ? testCaseLine.exec(plain) : null
    const failMatch = testCase ? failLine.exec(plain) : null
    const passMatch = testCase && !failMatch ? passLine.exec(plain) : null
    const debugMatch = step ? debugLine.exec(line) : null
    if (scenarioMatch) {
      scenario = { id: scenarioMatch[1] ?? '', ...splitSkip(scenarioMatch[2] ?? ''), testCases: [] }
      output.scenarios.push(scenario)
      testCase = undefined
      step = undefined
      message = 'closed'
    } else if (scenario && testCaseMatch) {
      testCase = { ...splitSkip(testCaseMatch[1] ?? ''), steps: [] }
      scenario.testCases.push(testCase)
      step = undefined
      message = 'closed'
    } else if (testCase && (failMatch || passMatch)) {
      step = failMatch
        ? { name: failMatch[1] ?? '', passed: false, reason: failMatch[2] ?? '', debug: [] }
        : { name: passMatch?.[1] ?? '', passed: true, reason: '', debug: [] }
      testCase.steps.push(step)
      message = 'closed'
    } else if (step && debugMatch) {
      const body = debugMatch[1] ?? ''
      step.debug.push(stripAnsi(body))
      message = !body.startsWith(colourStart) ? 'plain' : body.endsWith(colourReset) ? 'closed' : 'open'
    } else if (plain !== '' || message === 'plain') {
      appendToMessage(line)
    }
  }
  return output
}

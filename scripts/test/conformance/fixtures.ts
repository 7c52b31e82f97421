import { readFileSync } from 'node:fs'
import { parseToolOutput, type ToolScenario } from '../../conformance/tool-output.js'

const read = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

/**
 * Real `conformance-dcr -debug` output against the sandbox's harbourview-hk-business (DELETE
 * switched off): the banner, DCR-001 (PASS), DCR-003 (SKIP), DCR-009 and DCR-010 (FAIL: 401
 * expected after the skipped DELETE, 200 received). Kept byte for byte, colours and CRLFs included.
 */
export const harbourviewLog = read('harbourview-hk-business.log')

/**
 * Real output of DCR-002 against northbank-personal with a wrong `aud` in the tool's config: the
 * registration answered 400, and the test cases after it failed in turn.
 */
export const wrongAudLog = read('wrong-aud.log')

/** One parsed scenario of a log; throws when the log does not have it. */
export function scenarioOf(log: string, id: string): ToolScenario {
  const found = parseToolOutput(log).scenarios.find((scenario) => scenario.id === id)
  if (!found) throw new Error(`no ${id} in the fixture`)
  return found
}

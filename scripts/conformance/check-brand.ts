import { join } from 'node:path'
import type { BrandConfig, SandboxUrls } from '@open-dcr/sandbox'
import { runConformanceTool } from './run-tool.js'
import { writeToolConfig } from './tool-config.js'
import { parseToolOutput } from './tool-output.js'
import { judgeScenario, type Verdict } from './verdict.js'

/** What {@link checkBrand} needs. */
export interface BrandCheck {
  tool: string
  brand: BrandConfig
  urls: SandboxUrls
  /** Temporary folder for the tool's config (it holds private keys). */
  workDir: string
  /** Folder of the kept logs; the brand's is `<logDir>/<brand>.log`. */
  logDir: string
  signal: AbortSignal
}

/** A brand's result: a verdict per scenario, or why the tool could not judge it. */
export interface BrandResult {
  verdicts: Verdict[]
  /** Why the run says nothing reliable (bad config, unreachable bank, timeout), or null. */
  error: string | null
  logFile: string
}

/** The tool's banner and its offline update-check warning: printed on every run, harmless. */
const noise = [/^Dynamic Client Registration Conformance Tool cli$/, /^error checking for updates:/]

/** Makes a kit, writes the tool's config, runs the tool against the brand and judges every scenario. */
export async function checkBrand(check: BrandCheck): Promise<BrandResult> {
  const logFile = join(check.logDir, `${check.brand.id}.log`)
  const written = await writeToolConfig(check.workDir, check.brand, check.urls)
  const { configFile, caFile } = written
  const exit = await runConformanceTool({ tool: check.tool, configFile, caFile, logFile, signal: check.signal })
  const output = parseToolOutput(exit.output)
  const brand = { id: check.brand.id, deleteImplemented: written.config.delete_implemented }
  const verdicts = output.scenarios.map((scenario) => judgeScenario(scenario, brand))
  const said = output.preamble.filter((line) => !noise.some((pattern) => pattern.test(line)))
  const saying = said.length > 0 ? `: ${said.join(' | ')}` : ''
  let error: string | null = null
  if (exit.killedBy) error = `the tool was stopped (${exit.killedBy}) before it finished${saying}`
  else if (verdicts.length === 0) error = `the tool ran no scenario (exit status ${exit.code})${saying}`
  else if (exit.code !== 0 && !verdicts.some((v) => v.outcome === 'FAIL' || v.outcome === 'KNOWN'))
    error = `the tool exited with status ${exit.code} although no scenario failed${saying}`
  return { verdicts, error, logFile }
}

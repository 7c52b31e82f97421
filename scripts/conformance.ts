/**
 * `pnpm conformance`: the official Open Banking UK DCR conformance tool against every ob-uk brand
 * of an in-process sandbox (free ports, temporary data, stopped on exit or Ctrl-C). One line per
 * brand × scenario (PASS, FAIL, SKIP, KNOWN), a summary, and each brand's full tool log in
 * `test-output/conformance/<brand>.log`.
 *
 * Options: `--brand ID` (repeatable) narrows the brands; `--tool PATH` (or `OBIE_DCR_TOOL`) names
 * the binary; `--where` only prints the binary's path.
 * Exit status: 0 every scenario passed, was skipped or is a known tool limitation; 1 a scenario
 * failed; 2 the tool could not run (or bad usage, or `--tool`/`OBIE_DCR_TOOL` names no executable);
 * 3 the tool was not found where it is looked for; 130 interrupted.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { silentLogger } from '@open-dcr/express'
import { type BrandConfig, resolveSandboxConfig, type SandboxConfig, startSandbox } from '@open-dcr/sandbox'
import { checkBrand } from './conformance/check-brand.js'
import { formatVerdict, summaryLine, tally } from './conformance/report.js'
import { findConformanceTool, notFoundMessage } from './conformance/tool-path.js'
import type { Verdict } from './conformance/verdict.js'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const usage = 'usage: pnpm conformance [--brand ID]... [--tool PATH] [--where]'

type Options = { brand?: string[]; tool?: string; where?: boolean }

async function main(): Promise<number> {
  const values = parseOptions()
  if (typeof values === 'number') return values

  const lookup = await findConformanceTool({ explicit: values.tool, fromEnv: process.env.OBIE_DCR_TOOL, repoRoot })
  if (!lookup.found) {
    console.error(notFoundMessage(lookup))
    return lookup.named ? 2 : 3
  }
  if (values.where) {
    console.log(lookup.path)
    return 0
  }

  const config = resolveSandboxConfig()
  const brands = selectBrands(config.brands, values.brand)
  if (typeof brands === 'number') return brands

  const logDir = join(repoRoot, 'test-output', 'conformance')
  await mkdir(logDir, { recursive: true })
  const workDir = await mkdtemp(join(tmpdir(), 'open-dcr-conformance-'))
  const abort = new AbortController()
  const stop = () => abort.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  let outcome: { verdicts: Verdict[]; errors: number }
  try {
    outcome = await checkBrands({ tool: lookup.path, brands, config, workDir, logDir, signal: abort.signal })
  } catch (err) {
    if (abort.signal.aborted) {
      console.error('conformance: interrupted')
      return 130
    }
    throw err
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    await rm(workDir, { recursive: true, force: true })
  }

  const counts = tally(outcome.verdicts)
  console.log(`Full tool logs (with -debug): ${relative(process.cwd(), logDir) || '.'}/<brand>.log`)
  console.log(summaryLine(counts, brands.length, outcome.errors))
  return outcome.errors > 0 ? 2 : counts.FAIL > 0 ? 1 : 0
}

/** The command line's options, or exit status 2 (after the usage) when they do not parse. */
function parseOptions(): Options | number {
  try {
    return parseArgs({
      options: { brand: { type: 'string', multiple: true }, tool: { type: 'string' }, where: { type: 'boolean' } },
      allowPositionals: false,
    }).values
  } catch (err) {
    console.error(`conformance: ${(err as Error).message}\n${usage}`)
    return 2
  }
}

/** The sandbox's ob-uk brands, narrowed to `requested`; exit status 2 if one of those is not one. */
function selectBrands(all: BrandConfig[], requested: string[] | undefined): BrandConfig[] | number {
  const obUk = all.filter((brand) => brand.profile === 'ob-uk')
  const unknown = (requested ?? []).filter((id) => !obUk.some((brand) => brand.id === id))
  if (unknown.length > 0) {
    console.error(`conformance: not an ob-uk brand of the sandbox: ${unknown.join(', ')}`)
    console.error(`ob-uk brands: ${obUk.map((brand) => brand.id).join(', ')}`)
    return 2
  }
  return requested ? obUk.filter((brand) => requested.includes(brand.id)) : obUk
}

/** Starts the sandbox, runs the tool against each brand in turn (printing its verdicts), stops it. */
async function checkBrands(run: {
  tool: string
  brands: BrandConfig[]
  config: SandboxConfig
  workDir: string
  logDir: string
  signal: AbortSignal
}): Promise<{ verdicts: Verdict[]; errors: number }> {
  const { tool, brands, workDir, logDir, signal } = run
  const sandbox = await startSandbox({
    port: 0,
    mtlsPort: 0,
    dataDir: join(workDir, 'sandbox'),
    config: run.config,
    logger: silentLogger,
  })
  const verdicts: Verdict[] = []
  let errors = 0
  try {
    console.log(`conformance: ${tool}`)
    console.log(`against the sandbox ${sandbox.urls.mtls} (ob-uk brands: ${brands.map((b) => b.id).join(', ')})`)
    const width = Math.max(...brands.map((brand) => brand.id.length))
    for (const brand of brands) {
      const result = await checkBrand({ tool, brand, urls: sandbox.urls, workDir, logDir, signal })
      for (const verdict of result.verdicts) console.log(formatVerdict(verdict, width).join('\n'))
      if (result.error) {
        errors++
        console.log(
          `ERROR  ${brand.id.padEnd(width)}  ${result.error} (log: ${relative(process.cwd(), result.logFile)})`,
        )
      }
      verdicts.push(...result.verdicts)
    }
  } finally {
    await sandbox.close()
  }
  return { verdicts, errors }
}

process.exitCode = await main()

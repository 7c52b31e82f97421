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
import { resolveSandboxConfig, startSandbox } from '@open-dcr/sandbox'
import { checkBrand } from './conformance/check-brand.js'
import { formatVerdict, summaryLine, tally } from './conformance/report.js'
import { findConformanceTool, notFoundMessage } from './conformance/tool-path.js'
import type { Verdict } from './conformance/verdict.js'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const usage = 'usage: pnpm conformance [--brand ID]... [--tool PATH] [--where]'

async function main(): Promise<number> {
  let values: { brand?: string[]; tool?: string; where?: boolean }
  try {
    ;({ values } = parseArgs({
      options: { brand: { type: 'string', multiple: true }, tool: { type: 'string' }, where: { type: 'boolean' } },
      allowPositionals: false,
    }))
  } catch (err) {
    console.error(`conformance: ${(err as Error).message}\n${usage}`)
    return 2
  }

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
  const obUk = config.brands.filter((brand) => brand.profile === 'ob-uk')
  const unknown = (values.brand ?? []).filter((id) => !obUk.some((brand) => brand.id === id))
  if (unknown.length > 0) {
    console.error(`conformance: not an ob-uk brand of the sandbox: ${unknown.join(', ')}`)
    console.error(`ob-uk brands: ${obUk.map((brand) => brand.id).join(', ')}`)
    return 2
  }
  const brands = values.brand ? obUk.filter((brand) => values.brand?.includes(brand.id)) : obUk

  const logDir = join(repoRoot, 'test-output', 'conformance')
  await mkdir(logDir, { recursive: true })
  const workDir = await mkdtemp(join(tmpdir(), 'open-dcr-conformance-'))
  const abort = new AbortController()
  const stop = () => abort.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)

  const verdicts: Verdict[] = []
  let errors = 0
  try {
    const sandbox = await startSandbox({
      port: 0,
      mtlsPort: 0,
      dataDir: join(workDir, 'sandbox'),
      config,
      logger: silentLogger,
    })
    try {
      console.log(`conformance: ${lookup.path}`)
      console.log(`against the sandbox ${sandbox.urls.mtls} (ob-uk brands: ${brands.map((b) => b.id).join(', ')})`)
      const width = Math.max(...brands.map((brand) => brand.id.length))
      for (const brand of brands) {
        const result = await checkBrand({
          tool: lookup.path,
          brand,
          urls: sandbox.urls,
          workDir,
          logDir,
          signal: abort.signal,
        })
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

  const counts = tally(verdicts)
  console.log(`Full tool logs (with -debug): ${relative(process.cwd(), logDir) || '.'}/<brand>.log`)
  console.log(summaryLine(counts, brands.length, errors))
  return errors > 0 ? 2 : counts.FAIL > 0 ? 1 : 0
}

process.exitCode = await main()

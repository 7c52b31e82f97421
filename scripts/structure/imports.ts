import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { cruise, type ICruiseResult } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'

/** Where the import rules apply, relative to the repository root (`*` is a glob). */
export const importCheckedPaths = ['packages/*/src', 'examples', 'scripts', 'bench', 'test'] as const

/** The rules: `.dependency-cruiser.mjs` at the repository root. */
export const importRulesFile = '.dependency-cruiser.mjs'

/** An import that breaks a rule of {@link importRulesFile}. */
export interface ImportViolation {
  /** The rule's name, e.g. `no-circular`, `verify-metadata-not-express`. */
  rule: string
  /** The importing module, relative to the cruised folder. */
  from: string
  /** The imported module (resolved path, or the name as written when it does not resolve). */
  to: string
  /** For a cycle: every module on it, starting and ending with `from`. */
  cycle?: string[]
}

/**
 * Runs the rules of `rulesFile` over `paths` under `baseDir` (those that exist), returning every
 * violation.
 *
 * @example
 * const violations = await checkImports(process.cwd())
 */
export async function checkImports(
  baseDir: string,
  paths: readonly string[] = importCheckedPaths,
  rulesFile = join(baseDir, importRulesFile),
): Promise<ImportViolation[]> {
  // A glob's folder that is not there (a repository without bench/, say) is nothing to check.
  const present = paths.filter((path) => existsSync(join(baseDir, path.split('*')[0] ?? path)))
  if (present.length === 0) return []
  const options = await extractDepcruiseOptions(rulesFile)
  const reported = await cruise(present, { ...options, baseDir, outputType: 'json' })
  const result: ICruiseResult =
    typeof reported.output === 'string' ? JSON.parse(reported.output) : (reported.output as ICruiseResult)
  return result.summary.violations.map((violation) => {
    const found: ImportViolation = { rule: violation.rule.name, from: violation.from, to: violation.to }
    if (violation.cycle) found.cycle = [violation.from, ...violation.cycle.map((step) => step.name)]
    return found
  })
}

/** One line per violation: `rule: from → to`, or the whole cycle. */
export function formatImportViolation(violation: ImportViolation): string {
  const path = violation.cycle ?? [violation.from, violation.to]
  return `${violation.rule}: ${path.join(' → ')}`
}

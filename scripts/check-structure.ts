// `pnpm run check:structure` (part of `pnpm test`): the import rules of .dependency-cruiser.mjs
// (no cycle; verify/ and metadata/ free of Express and of the HTTP layer) and the size limits
// (no source file over 300 lines, no function over 80). Prints every offender, exits 1 on any.
// Checks the current folder, or the repository given as the one argument.
import { resolve } from 'node:path'
import { checkImports, formatImportViolation, importRulesFile } from './structure/imports.js'
import { checkSizes, defaultSizeLimits, formatSizeOffender } from './structure/size.js'

const root = resolve(process.argv[2] ?? '.')
const [violations, offenders] = await Promise.all([checkImports(root), checkSizes(root)])

for (const violation of violations) console.error(formatImportViolation(violation))
for (const offender of offenders) console.error(formatSizeOffender(offender))

const { fileLines, functionLines } = defaultSizeLimits
if (violations.length + offenders.length > 0) {
  console.error(
    `\ncheck:structure: ${violations.length} import rule violation(s) (${importRulesFile}), ` +
      `${offenders.length} file(s)/function(s) over ${fileLines}/${functionLines} lines`,
  )
  process.exitCode = 1
} else {
  console.log('check:structure: no import cycle, layers respected, no file or function over its size limit')
}

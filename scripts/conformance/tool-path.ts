import { execFile } from 'node:child_process'
import { access, constants, stat } from 'node:fs/promises'
import { isAbsolute, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

/** Where the shared tools folder keeps the binary, relative to a checkout's parent folder. */
const besideCheckout = join('..', 'shared', 'tools', 'obie-conformance-dcr', 'conformance-dcr')

/** How to build the tool, for the message when it is missing. */
export const buildInstructions = [
  'Build it from its public source (MIT licence, needs Go):',
  '  git clone https://github.com/OpenBankingUK/conformance-dcr && cd conformance-dcr',
  '  git checkout bff9ad2c29d6899c312db5582e49446e83c13d85 && go build -o conformance-dcr ./cmd/cli',
  'then pass --tool PATH or set OBIE_DCR_TOOL=PATH.',
].join('\n')

/**
 * The lookup's answer: the binary, or every place tried. `named` tells a path given by `--tool` or
 * `OBIE_DCR_TOOL` that is wrong (a mistake to report) from a search that found nothing.
 */
export type ToolLookup =
  | { found: true; path: string }
  | { found: false; named: boolean; looked: string[]; problem: string }

/** Where {@link findConformanceTool} looks. */
export interface ToolLookupOptions {
  /** `--tool PATH`: used as is, no fallback. */
  explicit?: string | undefined
  /** `OBIE_DCR_TOOL`: used as is, no fallback. */
  fromEnv?: string | undefined
  /** The repository root; `../shared/tools/…` is tried beside it, then beside its `origin`. */
  repoRoot: string
}

const isExecutable = async (path: string): Promise<boolean> => {
  try {
    await access(path, constants.X_OK)
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

/** The checkout's `origin` when it is a folder on this machine (a path or a file:// URL), else null. */
export async function localOrigin(repoRoot: string): Promise<string | null> {
  let url: string
  try {
    const { stdout } = await promisify(execFile)('git', ['remote', 'get-url', 'origin'], { cwd: repoRoot })
    url = stdout.trim()
  } catch {
    return null
  }
  // `https://…`, `ssh://…` and scp-like `host:path` name another machine.
  const path = url.startsWith('file://') ? fileURLToPath(url) : /^[^/]*:/.test(url) ? null : url
  if (path === null || path === '') return null
  const folder = isAbsolute(path) ? path : resolve(repoRoot, path)
  try {
    return (await stat(folder)).isDirectory() ? folder : null
  } catch {
    return null
  }
}

/**
 * Finds the official OB DCR conformance tool: `--tool`, else `OBIE_DCR_TOOL`, else
 * `../shared/tools/obie-conformance-dcr/conformance-dcr` beside the repository, else the same
 * path beside the repository's `origin` when that is a local folder (a CI clone of a checkout).
 *
 * @example
 * const tool = await findConformanceTool({ explicit: values.tool, fromEnv: process.env.OBIE_DCR_TOOL, repoRoot })
 */
export async function findConformanceTool(options: ToolLookupOptions): Promise<ToolLookup> {
  const given = options.explicit
    ? ['--tool', options.explicit]
    : options.fromEnv
      ? ['OBIE_DCR_TOOL', options.fromEnv]
      : null
  if (given) {
    const path = resolve(given[1] ?? '')
    return (await isExecutable(path))
      ? { found: true, path }
      : {
          found: false,
          named: true,
          looked: [path],
          problem: `${given[0]} names ${path}, which is not an executable file`,
        }
  }
  const looked = [resolve(options.repoRoot, besideCheckout)]
  const origin = await localOrigin(options.repoRoot)
  if (origin) looked.push(resolve(origin, besideCheckout))
  for (const path of looked) if (await isExecutable(path)) return { found: true, path }
  return { found: false, named: false, looked, problem: 'the official OB DCR conformance tool was not found' }
}

/** The message for a failed lookup: what was tried and how to build the tool. */
export function notFoundMessage(lookup: Extract<ToolLookup, { found: false }>): string {
  return [
    `conformance: ${lookup.problem}.`,
    'Looked at:',
    ...lookup.looked.map((path) => `  ${path}`),
    buildInstructions,
  ].join('\n')
}

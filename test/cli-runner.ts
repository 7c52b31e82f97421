import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))
const cli = join(root, 'packages/testkit/src/cli.ts')

/** What one `open-dcr` run printed, and its exit code. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `open-dcr` from source as a child process; resolves with exit code and output. */
export async function openDcr(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], {
      cwd: root,
      timeout: 60_000,
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string }
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    }
  }
}

/** Runs `open-dcr --json …`, expects exit 0 and returns the parsed JSON. */
export async function openDcrJson(...args: string[]): Promise<Record<string, unknown>> {
  const result = await openDcr('--json', ...args)
  if (result.code !== 0)
    throw new Error(`open-dcr ${args.slice(0, 2).join(' ')} failed: ${result.stderr}${result.stdout}`)
  return JSON.parse(result.stdout) as Record<string, unknown>
}

import type { CliResponse } from '../cli-http.js'

/** How a command prints: `--json` gives the raw JSON for scripts; otherwise one `name: value` line per member. */
export interface Output {
  /** Prints a result. */
  print(value: unknown): void
  /** Prints a server answer; a 4xx/5xx prints its `error`/`error_description` and sets exit code 1. */
  finish(res: CliResponse, success?: string): void
}

const line = (value: unknown) =>
  Array.isArray(value)
    ? value.join(' ')
    : typeof value === 'object' && value !== null
      ? JSON.stringify(value)
      : String(value)

/** Human-readable text for a result: strings as they are, objects as `name: value` lines. */
export function humanText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return String(value)
  return Object.entries(value)
    .map(([name, member]) => `${name}: ${line(member)}`)
    .join('\n')
}

/** The server's error in one line: `error: error_description (HTTP status)`. */
export function errorText(res: CliResponse): string {
  const body = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as Record<string, unknown>
  const error = typeof body.error === 'string' ? body.error : `HTTP ${res.status}`
  const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : ''
  return `${error}${description} (HTTP ${res.status})`
}

/** The output for `--json` (`json` true) or people. */
export function createOutput(json: boolean): Output {
  const write = (value: unknown) =>
    process.stdout.write(
      `${typeof value === 'string' ? value : json ? JSON.stringify(value, null, 2) : humanText(value)}\n`,
    )
  return {
    print: write,
    finish(res, success) {
      if (res.status >= 400) {
        process.exitCode = 1
        if (json) write(res.body ?? { status: res.status })
        else process.stderr.write(`open-dcr: ${errorText(res)}\n`)
        return
      }
      write(res.body ?? (json ? { status: res.status } : (success ?? `done (HTTP ${res.status})`)))
    },
  }
}

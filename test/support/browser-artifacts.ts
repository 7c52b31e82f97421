import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'

/** Where failure artifacts go: `test-output/browser/` at the repository root. */
export const browserArtifactDir = fileURLToPath(new URL('../../test-output/browser/', import.meta.url))

/** The page a browser test drives, and everything its console said (kept for the failure artifacts). */
export interface BrowserTestState {
  page?: Page
  console: string[]
}

/** The part of vitest's test context the artifact hook reads. */
export interface FinishedTest {
  task: { name: string; fullTestName?: string; result?: { state?: string } }
}

/** Opens recording of a page's console, uncaught errors and failed or 4xx/5xx requests into `state.console`. */
export function recordPage(page: Page, state: BrowserTestState): Page {
  state.page = page
  page.on('console', (message) => state.console.push(`[${message.type()}] ${message.text()}`))
  page.on('pageerror', (error) => state.console.push(`[pageerror] ${error.message}`))
  page.on('requestfailed', (request) =>
    state.console.push(`[requestfailed] ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`),
  )
  page.on('response', (response) => {
    if (response.status() >= 400) state.console.push(`[http ${response.status()}] ${response.url()}`)
  })
  return page
}

/** A test name as a file name: letters, digits, dots and dashes only. */
export function artifactName(testName: string): string {
  return (
    testName
      .replace(/[^A-Za-z0-9.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 120) || 'browser-test'
  )
}

/**
 * For an `afterEach((ctx) => …)`: when the test failed, writes `<dir>/<test name>.png` (full page) and
 * `<dir>/<test name>.console.txt`; the name includes the enclosing suites, so `describe.each` cases differ. Returns the paths written, or nothing when the test passed.
 */
export async function saveArtifactsOnFailure(
  test: FinishedTest,
  state: BrowserTestState,
  dir: string = browserArtifactDir,
): Promise<{ screenshot?: string; console: string } | undefined> {
  if (test.task.result?.state !== 'fail') return undefined
  await mkdir(dir, { recursive: true })
  const base = join(dir, artifactName(test.task.fullTestName ?? test.task.name))
  const console = `${base}.console.txt`
  await writeFile(console, `${state.console.join('\n')}\n`)
  if (!state.page || state.page.isClosed()) return { console }
  const screenshot = `${base}.png`
  // A page that hangs must not hide the console log already written.
  const taken = await state.page.screenshot({ path: screenshot, fullPage: true, timeout: 15_000 }).then(
    () => true,
    () => false,
  )
  return taken ? { screenshot, console } : { console }
}

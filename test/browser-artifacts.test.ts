import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, tempDir } from './helpers.js'
import { launchChromium } from './support/browser.js'
import {
  artifactName,
  type BrowserTestState,
  browserArtifactDir,
  recordPage,
  saveArtifactsOnFailure,
} from './support/browser-artifacts.js'
import { browserTimeScale, budget } from './support/browser-budget.js'

let browser: Browser
beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await cleanUp()
})

describe('browser failure artifacts', () => {
  it('a failed browser check leaves a screenshot and the page console, named after the test', async () => {
    const dir = await tempDir()
    const state: BrowserTestState = { console: [] }
    const page = recordPage(await browser.newPage(), state)
    await page.setContent('<h1>artifact page</h1><script>console.log("hello from the page"); nope()</script>')
    // The deliberately failing check: an element that never appears.
    const check = await page.waitForSelector('#never-there', { timeout: 200 }).then(
      () => 'found',
      (error: Error) => error.message,
    )
    expect(check).toContain('Timeout')
    const written = await saveArtifactsOnFailure(
      { task: { name: 'step fails', fullTestName: 'journey / northbank > step fails', result: { state: 'fail' } } },
      state,
      dir,
    )
    await page.close()
    expect(written).toEqual({
      screenshot: join(dir, 'journey-northbank-step-fails.png'),
      console: join(dir, 'journey-northbank-step-fails.console.txt'),
    })
    const png = await readFile(join(dir, 'journey-northbank-step-fails.png'))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    const log = await readFile(join(dir, 'journey-northbank-step-fails.console.txt'), 'utf8')
    expect(log).toContain('[log] hello from the page')
    expect(log).toContain('[pageerror]')
  })

  it('a passing test writes nothing', async () => {
    const dir = await tempDir()
    const state: BrowserTestState = { console: ['[log] fine'] }
    const written = await saveArtifactsOnFailure({ task: { name: 'passes', result: { state: 'pass' } } }, state, dir)
    expect(written).toBeUndefined()
    await expect(readFile(join(dir, 'passes.console.txt'))).rejects.toThrow(/ENOENT/)
  })

  it('a failure after the page closed still writes the console log', async () => {
    const dir = await tempDir()
    const written = await saveArtifactsOnFailure(
      { task: { name: 'closed', result: { state: 'fail' } } },
      { console: ['[error] boom'] },
      dir,
    )
    expect(written).toEqual({ console: join(dir, 'closed.console.txt') })
    expect(await readFile(join(dir, 'closed.console.txt'), 'utf8')).toBe('[error] boom\n')
  })

  it('names are file-safe and the default folder is test-output/browser', () => {
    expect(artifactName('Swagger UI > 3. register: 201 / ok?')).toBe('Swagger-UI-3.-register-201-ok')
    expect(browserArtifactDir.replaceAll('\\', '/')).toMatch(/\/test-output\/browser\/$/)
  })
})

describe('browser budgets', () => {
  it('scale with BROWSER_TIME_SCALE, else double under CI, else stay as given', () => {
    expect(browserTimeScale({ BROWSER_TIME_SCALE: '3' })).toBe(3)
    expect(browserTimeScale({ CI: 'true' })).toBe(2)
    expect(browserTimeScale({})).toBe(1)
    expect(browserTimeScale({ BROWSER_TIME_SCALE: 'fast', CI: 'true' })).toBe(2)
    expect(budget(10_000, { BROWSER_TIME_SCALE: '2.5' })).toBe(25_000)
  })
})

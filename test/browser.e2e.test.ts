import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox } from './helpers.js'
import { launchChromium } from './support/browser.js'
import { type BrowserTestState, recordPage, saveArtifactsOnFailure } from './support/browser-artifacts.js'
import { budget } from './support/browser-budget.js'

const screenshots = fileURLToPath(new URL('../test-output/screenshots/', import.meta.url))
let bank: Awaited<ReturnType<typeof sandbox>>
let browser: Browser
let state: BrowserTestState = { console: [] }

/** A new page for this test, recorded for the failure artifacts. */
async function newPage(): Promise<Page> {
  const page = recordPage(await browser.newPage(), state)
  page.setDefaultTimeout(budget(20_000))
  return page
}

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true })
  bank = await sandbox()
  browser = await launchChromium()
})
afterEach(async (ctx) => {
  await saveArtifactsOnFailure(ctx, state)
  await state.page?.close()
  state = { console: [] }
})
afterAll(async () => {
  await browser?.close()
  await bank?.close()
  await cleanUp()
})

describe.each(['northbank-personal', 'firstline-direct', 'continental-corporate', 'meridian-connect'])(
  'the guided journey for %s',
  (brand) => {
    it(
      'runs every step to success in a real browser, ending with the code flow and a verified ID token',
      async () => {
        const page = await newPage()
        await page.goto(`${bank.urls.http}/`)
        await page.selectOption('#brand', brand)
        await page.click('#run')
        await page.waitForSelector('#result:not([hidden]), li.step.failed', { timeout: budget(30_000) })
        const failure = await page.locator('li.step.failed').allTextContents()
        expect(failure).toEqual([])
        const failed = await page.locator('li.step.failed').count()
        expect(failed).toBe(0)
        const steps = await page.locator('li.step.ok').count()
        expect(steps).toBeGreaterThanOrEqual(12)
        // The code flow: the bank's consent page (shown), approval, the code back at the TPP, tokens, the ID token verified.
        const consent = page.locator('li.step.ok', { hasText: 'the bank’s consent page' })
        await expect(consent.frameLocator('iframe').locator('#approve').textContent()).resolves.toBe('Approve')
        const brands = (await call(`${bank.urls.http}/brands`)).body as unknown as { id: string; name: string }[]
        expect(await consent.frameLocator('iframe').locator('h1').textContent()).toBe(
          brands.find((b) => b.id === brand)?.name,
        )
        for (const step of [
          'Approve as the PSU',
          'Back at the TPP',
          'Exchange the code for tokens',
          'ID token verified',
        ]) {
          expect(await page.locator('li.step.ok', { hasText: step }).count(), step).toBe(1)
        }
        expect(await page.textContent('#id-token-sub')).toBe('sandbox-psu-0001')
        expect(await page.textContent('#id-token-alg')).toMatch(/^(PS256|ES256)$/)
        const clientId = (await page.textContent('#client-id'))?.trim() ?? ''
        expect(clientId).toMatch(/^[0-9a-f-]{36}$/)
        expect(await bank.store.get(clientId)).toMatchObject({ clientId, tenant: brand })
        expect(await page.getAttribute('#download', 'href')).toMatch(/^blob:/)
        expect(await page.textContent('#curl')).toContain(
          brand === 'continental-corporate' ? '/sandbox/http-signatures/send' : 'x-client-certificate',
        )
        await page.screenshot({ path: `${screenshots}journey-${brand}.png`, fullPage: true })
      },
      // A browser on a busy 2-core machine: generous, since each step also waits on its own.
      budget(120_000),
    )
  },
)

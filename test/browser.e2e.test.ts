import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from './helpers.js'

const screenshots = fileURLToPath(new URL('../test-output/screenshots/', import.meta.url))
let bank: Awaited<ReturnType<typeof sandbox>>
let browser: Browser

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true })
  bank = await sandbox()
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})
afterAll(async () => {
  await browser?.close()
  await bank?.close()
  await cleanUp()
})

describe.each(['northbank-personal', 'firstline-direct', 'continental-corporate', 'meridian-connect'])(
  'the guided journey for %s',
  (brand) => {
    it('runs every step to success in a real browser, and the client is in the store', async () => {
      const page = await browser.newPage()
      try {
        await page.goto(`${bank.urls.http}/`)
        await page.selectOption('#brand', brand)
        await page.click('#run')
        await page.waitForSelector('#result:not([hidden]), li.step.failed', { timeout: 20_000 })
        const failure = await page.locator('li.step.failed').allTextContents()
        expect(failure).toEqual([])
        const failed = await page.locator('li.step.failed').count()
        expect(failed).toBe(0)
        const steps = await page.locator('li.step.ok').count()
        expect(steps).toBeGreaterThanOrEqual(6)
        const clientId = (await page.textContent('#client-id'))?.trim() ?? ''
        expect(clientId).toMatch(/^[0-9a-f-]{36}$/)
        expect(await bank.store.get(clientId)).toMatchObject({ clientId, tenant: brand })
        expect(await page.getAttribute('#download', 'href')).toMatch(/^blob:/)
        expect(await page.textContent('#curl')).toContain('x-client-certificate')
        await page.screenshot({ path: `${screenshots}journey-${brand}.png`, fullPage: true })
      } finally {
        await page.close()
      }
    })
  },
)

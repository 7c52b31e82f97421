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

describe('Swagger UI', () => {
  it('Try it out: create a kit, get a signed request, register (201 with a client_id on the page)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } })
    page.setDefaultTimeout(8_000)
    const operation = (tag: string, id: string) => page.locator(`#operations-${tag}-${id}`)
    /** Expands an operation, presses Try it out, lets `fill` set inputs, executes, and returns the response. */
    const tryItOut = async (
      tag: string,
      id: string,
      fill: (op: ReturnType<typeof operation>) => Promise<void> = async () => {},
    ) => {
      const op = operation(tag, id)
      await op.locator('.opblock-summary').first().click()
      await op.locator('.try-out__btn').click()
      await fill(op)
      await op.locator('.execute').click()
      const status = op.locator('.live-responses-table tbody tr.response .response-col_status').first()
      await status.waitFor({ timeout: 15_000 })
      const body = await op
        .locator('.live-responses-table tbody tr.response .response-col_description pre')
        .first()
        .textContent()
      return {
        status: Number((await status.textContent())?.trim()),
        body: JSON.parse(body ?? '{}') as Record<string, unknown>,
      }
    }
    try {
      await page.goto(`${bank.urls.http}/docs/`)
      await page.waitForSelector('.swagger-ui .opblock', { timeout: 15_000 })
      expect(await page.locator('.servers select option').allTextContents()).toEqual(
        expect.arrayContaining([expect.stringContaining(bank.urls.http), expect.stringContaining(bank.urls.mtls)]),
      )

      const kit = await tryItOut('Sandbox', 'createTppKit')
      expect(kit.status).toBe(201)
      const softwareId = String(kit.body.software_id)
      const certificate = String((kit.body.transport as { cert_header: string }).cert_header)

      const prepared = await tryItOut('Sandbox', 'createRegistrationRequest', async (op) => {
        await op.locator('tr[data-param-name="softwareId"] input').fill(softwareId)
      })
      expect(prepared.status).toBe(200)

      const registered = await tryItOut('Registration', 'registerClient', async (op) => {
        await op.locator('tr[data-param-name="brand"] select').selectOption('northbank-personal')
        await op.getByPlaceholder('X-Client-Certificate').fill(certificate)
        await op.locator('.opblock-section-request-body select').first().selectOption('application/jose')
        await op.locator('.opblock-section-request-body textarea').fill(String(prepared.body.jwt))
      })
      await page.screenshot({ path: `${screenshots}swagger-register.png`, fullPage: false })
      expect(registered.status).toBe(201)
      expect(String(registered.body.client_id)).toMatch(/^[0-9a-f-]{36}$/)
      expect(await bank.store.get(String(registered.body.client_id))).toMatchObject({
        softwareId,
        tenant: 'northbank-personal',
      })
    } catch (err) {
      await page.screenshot({ path: `${screenshots}swagger-failure.png`, fullPage: true })
      console.log(
        await page
          .locator('#operations-Registration-registerClient tr[data-param-name]')
          .evaluateAll((rows) => rows.map((row) => row.outerHTML.slice(0, 400))),
      )
      throw err
    } finally {
      await page.close()
    }
  })
})

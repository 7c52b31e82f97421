import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, cleanUp, sandbox } from './helpers.js'

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
    it('runs every step to success in a real browser, ending with the code flow and a verified ID token', async () => {
      const page = await browser.newPage()
      try {
        await page.goto(`${bank.urls.http}/`)
        await page.selectOption('#brand', brand)
        await page.click('#run')
        await page.waitForSelector('#result:not([hidden]), li.step.failed', { timeout: 30_000 })
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
      } catch (err) {
        await page.screenshot({ path: `${screenshots}journey-${brand}-failure.png`, fullPage: true })
        throw err
      } finally {
        await page.close()
      }
      // A browser on a busy 2-core machine: generous, since each step also waits on its own.
    }, 120_000)
  },
)

describe('Swagger UI', () => {
  it('Try it out, in order: kit → signed request → register (201) → token → read → update → rotate → delete', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 2400 } })
    page.setDefaultTimeout(20_000)
    const operation = (tag: string, id: string) => page.locator(`#operations-${tag}-${id}`)
    /** Opens the operation (once), enters Try it out (once), clears an old answer, fills, executes, reads the answer. */
    const tryItOut = async (
      tag: string,
      id: string,
      fill: (op: ReturnType<typeof operation>) => Promise<void> = async () => {},
    ) => {
      const op = operation(tag, id)
      if (!(await op.evaluate((el) => el.classList.contains('is-open'))))
        await op.locator('.opblock-summary').first().click()
      const tryOut = op.locator('.try-out__btn')
      if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click()
      if (await op.locator('.btn-clear').count()) await op.locator('.btn-clear').click()
      await fill(op)
      await op.locator('.execute').click()
      const status = op.locator('.live-responses-table tbody tr.response .response-col_status').first()
      await status.waitFor({ timeout: 30_000 })
      const pre = op.locator('.live-responses-table tbody tr.response .response-col_description .highlight-code pre')
      const text = (await pre.count()) ? await pre.first().textContent() : ''
      return {
        status: Number((await status.textContent())?.trim()),
        body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
      }
    }
    const brandAndClient = async (op: ReturnType<typeof operation>, clientId: string, certificate: string) => {
      await op.locator('tr[data-param-name="brand"] select').selectOption('northbank-personal')
      await op.getByPlaceholder('clientId').fill(clientId)
      await op.getByPlaceholder('X-Client-Certificate').fill(certificate)
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
      const redirects = kit.body.redirect_uris as string[]

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
      const clientId = String(registered.body.client_id)
      expect(clientId).toMatch(/^[0-9a-f-]{36}$/)
      expect(await bank.store.get(clientId)).toMatchObject({ softwareId, tenant: 'northbank-personal' })

      const token = await tryItOut('Token', 'requestToken', async (op) => {
        await op.locator('tr[data-param-name="brand"] select').selectOption('northbank-personal')
        await op.getByPlaceholder('X-Client-Certificate').fill(certificate)
        await op
          .locator('.opblock-section-request-body select:has(option[value="client_credentials"])')
          .selectOption('client_credentials')
        await op.getByPlaceholder('client_id', { exact: true }).fill(clientId)
        await op.getByPlaceholder('client_secret', { exact: true }).fill(String(registered.body.client_secret))
      })
      expect(token.body).toMatchObject({ token_type: 'Bearer' })
      expect(token.status).toBe(200)

      await page.locator('.auth-wrapper .authorize').click()
      const modal = page.locator('.modal-ux')
      await modal.locator('input[type="text"]').first().fill(String(token.body.access_token))
      await modal.locator('.auth-btn-wrapper .authorize').first().click()
      await modal.locator('.btn-done').first().click()

      const read = await tryItOut('Registration', 'readClient', (op) => brandAndClient(op, clientId, certificate))
      expect(read.status).toBe(200)

      const again = await tryItOut('Sandbox', 'createRegistrationRequest', async (op) => {
        await op.locator('.opblock-section-request-body textarea').fill(
          JSON.stringify({
            brand: 'northbank-personal',
            metadata: { token_endpoint_auth_method: 'client_secret_post', redirect_uris: [redirects[1]] },
          }),
        )
      })
      expect(again.status).toBe(200)
      const updated = await tryItOut('Registration', 'updateClient', async (op) => {
        await brandAndClient(op, clientId, certificate)
        await op.locator('.opblock-section-request-body select').first().selectOption('application/jose')
        await op.locator('.opblock-section-request-body textarea').fill(String(again.body.jwt))
      })
      expect(updated.status).toBe(200)
      expect(updated.body.redirect_uris).toEqual([redirects[1]])

      const rotated = await tryItOut('Registration', 'rotateClientSecret', (op) =>
        brandAndClient(op, clientId, certificate),
      )
      expect(rotated.status).toBe(200)
      const deleted = await tryItOut('Registration', 'deleteClient', (op) => brandAndClient(op, clientId, certificate))
      expect(deleted.status).toBe(204)
      expect(await bank.store.get(clientId)).toBeUndefined()
      await page.screenshot({ path: `${screenshots}swagger-delete.png`, fullPage: false })
    } catch (err) {
      await page.screenshot({ path: `${screenshots}swagger-failure.png`, fullPage: true })
      throw err
    } finally {
      await page.close()
    }
  }, 180_000)
})

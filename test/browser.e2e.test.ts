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
        // The manual steps: readable (jq, a file per answer) through register, token, read, rotate and delete.
        const curl = (await page.textContent('#curl')) ?? ''
        expect(curl).toContain('x-client-certificate')
        expect(curl).not.toContain('node -p')
        for (const part of ['> kit.json', '> client.json', '/client-secret', '-X DELETE']) expect(curl).toContain(part)
        if (brand === 'continental-corporate') {
          // eIDAS: the signing string the kit's QSEAL signed, for a TPP to sign its own, not a hand-off to /send.
          expect(curl).not.toContain('/sandbox/http-signatures/send')
          expect(curl).toMatch(/#\s+\(request-target\): post \/continental-corporate\//)
        } else expect(curl).toContain('> token.json')
        await page.screenshot({ path: `${screenshots}journey-${brand}.png`, fullPage: true })
      },
      // A browser on a busy 2-core machine: generous, since each step also waits on its own.
      budget(120_000),
    )
  },
)

describe('the guided journey follows the brand', () => {
  it('at a brand without payments, payment initiation is not offered, and the page says what the brand offers', async () => {
    const page = await newPage()
    await page.goto(`${bank.urls.http}/`)
    await page.selectOption('#brand', 'firstline-direct')
    expect(await page.isVisible('label[data-role="PISP"]')).toBe(false)
    expect(await page.isChecked('input[value="PISP"]')).toBe(false)
    expect(await page.isVisible('label[data-role="CBPII"]')).toBe(true)
    expect(await page.textContent('#offers')).toBe('Firstline Direct offers: account-information, funds-confirmation.')
    await page.selectOption('#brand', 'harbour-smallbiz')
    expect(await page.isVisible('label[data-role="CBPII"]')).toBe(false)
    expect(await page.isVisible('label[data-role="PISP"]')).toBe(true)
  })

  it('funds confirmation only, at a brand that offers it, registers with its scope (not just openid)', async () => {
    const page = await newPage()
    await page.goto(`${bank.urls.http}/`)
    await page.selectOption('#brand', 'firstline-direct')
    await page.uncheck('input[value="AISP"]')
    await page.check('input[value="CBPII"]')
    await page.click('#run')
    await page.waitForSelector('#result:not([hidden]), li.step.failed', { timeout: budget(30_000) })
    expect(await page.locator('li.step.failed').allTextContents()).toEqual([])
    const granted = page.locator('li.step.ok', { hasText: 'Registered for' })
    expect(await granted.locator('.status').textContent()).toContain('fundsconfirmations')
  })

  it('a role the brand does not offer is refused visibly, without registering anything', async () => {
    const page = await newPage()
    await page.goto(`${bank.urls.http}/`)
    await page.selectOption('#brand', 'firstline-direct')
    // A hand-edited form (or an old bookmark) asking for payments anyway.
    await page.$eval('input[value="PISP"]', (input) => {
      ;(input as { checked: boolean }).checked = true
    })
    await page.click('#run')
    const refusal = page.locator('li.step.failed')
    await refusal.waitFor()
    expect(await refusal.textContent()).toContain('Firstline Direct does not offer payment initiation')
    // Every request the journey makes is shown as a step: none was made, so no kit and no client exist.
    expect(await page.locator('li.step.ok').count()).toBe(0)
  })

  it('switching brand clears the previous brand’s results', async () => {
    const page = await newPage()
    await page.goto(`${bank.urls.http}/`)
    await page.selectOption('#brand', 'meridian-connect')
    await page.click('#run')
    await page.waitForSelector('#result:not([hidden]), li.step.failed', { timeout: budget(30_000) })
    expect(await page.locator('li.step').count()).toBeGreaterThan(5)
    await page.selectOption('#brand', 'northbank-personal')
    expect(await page.locator('li.step').count()).toBe(0)
    expect(await page.isHidden('#result')).toBe(true)
    expect(await page.textContent('#client-id')).toBe('')
  })

  it('the journey and Swagger UI link a favicon that is served (no 404 in the console)', async () => {
    const icon = await fetch(`${bank.urls.http}/favicon.svg`)
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    expect(await icon.text()).toMatch(/^<svg /)
    expect((await fetch(`${bank.urls.http}/favicon.ico`)).status).toBe(200)
    const page = await newPage()
    for (const path of ['/', '/docs/']) {
      await page.goto(`${bank.urls.http}${path}`, { waitUntil: 'load' })
      expect(await page.getAttribute('link[rel="icon"]', 'href')).toBe('/favicon.svg')
    }
    expect(state.console.filter((line) => line.startsWith('[http 404]'))).toEqual([])
  })
})

describe('the guided journey continues', () => {
  it(
    'at a brand without payments: registers, then deletes the client in one click (a private_key_jwt client has no secret to rotate)',
    async () => {
      const page = await newPage()
      await page.goto(`${bank.urls.http}/`)
      await page.selectOption('#brand', 'firstline-direct')
      expect(await page.isVisible('label[data-role="PISP"]')).toBe(false)
      await page.click('#run')
      await page.waitForSelector('#result:not([hidden]), li.step.failed', { timeout: budget(30_000) })
      expect(await page.locator('li.step.failed').allTextContents()).toEqual([])
      const clientId = (await page.textContent('#client-id'))?.trim() ?? ''
      expect(await page.isDisabled('#rotate')).toBe(true)
      expect(await page.textContent('#manage-note')).toBe('A private_key_jwt client has no secret to rotate.')
      await page.click('#delete')
      await page.locator('li.step', { hasText: 'Deleted: reading it back' }).waitFor()
      expect(await page.locator('li.step.failed').allTextContents()).toEqual([])
      expect(await bank.store.get(clientId)).toBeUndefined()
      expect(await page.isDisabled('#delete')).toBe(true)
    },
    budget(120_000),
  )

  it(
    'at a brand with secrets: registers, rotates the secret and deletes the client in one click each',
    async () => {
      const page = await newPage()
      await page.goto(`${bank.urls.http}/`)
      await page.selectOption('#brand', 'northbank-personal')
      await page.click('#run')
      await page.waitForSelector('#result:not([hidden]), li.step.failed', { timeout: budget(30_000) })
      expect(await page.locator('li.step.failed').allTextContents()).toEqual([])
      const clientId = (await page.textContent('#client-id'))?.trim() ?? ''
      const secretBefore = (await bank.store.get(clientId))?.secrets[0]?.hash
      expect(secretBefore).toBeDefined()
      await page.click('#rotate')
      await page.locator('li.step', { hasText: 'New client secret issued' }).waitFor()
      expect(await page.locator('li.step.failed').allTextContents()).toEqual([])
      expect((await bank.store.get(clientId))?.secrets[0]?.hash).not.toBe(secretBefore)
      await page.click('#delete')
      await page.locator('li.step', { hasText: 'Deleted: reading it back' }).waitFor()
      expect(await page.locator('li.step.failed').allTextContents()).toEqual([])
      expect(await bank.store.get(clientId)).toBeUndefined()
    },
    budget(120_000),
  )
})

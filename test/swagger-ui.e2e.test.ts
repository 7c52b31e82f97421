import { mkdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { cleanUp, sandbox } from './helpers.js'
import { launchChromium } from './support/browser.js'
import { type BrowserTestState, recordPage, saveArtifactsOnFailure } from './support/browser-artifacts.js'
import { budget } from './support/browser-budget.js'

const screenshots = fileURLToPath(new URL('../test-output/screenshots/', import.meta.url))
const brand = 'northbank-personal'
let bank: Awaited<ReturnType<typeof sandbox>>
let browser: Browser
let page: Page
const state: BrowserTestState = { console: [] }
/** What the steps pass on to each other, in order. */
const kit = { softwareId: '', certificate: '', redirects: [] as string[], jwt: '' }
const client = { id: '', secret: '', accessToken: '' }
let firstFailure = ''

beforeAll(async () => {
  await mkdir(screenshots, { recursive: true })
  bank = await sandbox()
  browser = await launchChromium()
  page = recordPage(await browser.newPage({ viewport: { width: 1280, height: 2400 } }), state)
  page.setDefaultTimeout(budget(20_000))
})
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || firstFailure) return
  // Only the first failing step has a useful screenshot: the later ones fail because it did.
  firstFailure = ctx.task.name
  await saveArtifactsOnFailure(ctx, state)
})
afterAll(async () => {
  await browser?.close()
  await bank?.close()
  await cleanUp()
})

const operation = (tag: string, id: string) => page.locator(`#operations-${tag}-${id}`)

/** Opens the operation (once), enters Try it out (once), clears an old answer, fills, executes, reads the answer. */
async function tryItOut(tag: string, id: string, fill: (op: Locator) => Promise<void> = async () => {}) {
  const op = operation(tag, id)
  if (!(await op.evaluate((el) => el.classList.contains('is-open'))))
    await op.locator('.opblock-summary').first().click()
  const tryOut = op.locator('.try-out__btn:not(.reset)')
  if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click()
  if (await op.locator('.btn-clear').count()) await op.locator('.btn-clear').click()
  await fill(op)
  await op.locator('.execute').click()
  const status = op.locator('.live-responses-table tbody tr.response .response-col_status').first()
  await status.waitFor({ timeout: budget(30_000) })
  const pre = op.locator('.live-responses-table tbody tr.response .response-col_description .highlight-code pre')
  const text = (await pre.count()) ? await pre.first().textContent() : ''
  return {
    status: Number((await status.textContent())?.trim()),
    body: (text ? JSON.parse(text) : {}) as Record<string, unknown>,
  }
}

/** Picks the brand; the client id and certificate are already filled in from earlier answers (checked). */
async function brandAndClient(op: Locator): Promise<void> {
  await op.locator('tr[data-param-name="brand"] select').selectOption(brand)
  expect(await op.getByPlaceholder('clientId').inputValue()).toBe(client.id)
  expect(await op.getByPlaceholder('X-Client-Certificate').inputValue()).toBe(kit.certificate)
}

/** The bearer token Swagger UI will send, as its authorization state holds it. */
const bearer = () =>
  page.evaluate(() => {
    const ui = (
      globalThis as unknown as {
        ui: { authSelectors: { authorized(): { toJS(): Record<string, { value?: string }> } } }
      }
    ).ui
    return ui.authSelectors.authorized().toJS().bearer?.value
  })

/** Each step needs the ones before it: after a failure, say which step broke instead of failing obscurely. */
function step(name: string, run: () => Promise<void>) {
  it(
    name,
    async () => {
      if (firstFailure) throw new Error(`not run: the earlier step "${firstFailure}" failed`)
      await run()
    },
    budget(60_000),
  )
}

describe('Swagger UI, Try it out in order, each answer filling in the next: kit → signed request → register → token → read → update → rotate → delete', () => {
  step('1. the page loads and offers both listeners as servers', async () => {
    await page.goto(`${bank.urls.http}/docs/`)
    await page.waitForSelector('.swagger-ui .opblock', { timeout: budget(15_000) })
    expect(await page.locator('.servers select option').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining(bank.urls.http), expect.stringContaining(bank.urls.mtls)]),
    )
    // The prose names this sandbox's ports, and the quick path's sections come first, in order.
    const info = (await page.textContent('.information-container')) ?? ''
    expect(info).toContain(`(port ${new URL(bank.urls.http).port})`)
    expect(info).not.toContain('(port 8080)')
    const sections = await page
      .locator('.opblock-tag-section h3')
      .evaluateAll((tags) => tags.map((tag) => tag.getAttribute('data-tag')))
    expect(sections.slice(0, 3)).toEqual(['Sandbox', 'Registration', 'Token'])
  })

  step('2. create a TPP kit (201)', async () => {
    const created = await tryItOut('Sandbox', 'createTppKit')
    expect(created.status).toBe(201)
    kit.softwareId = String(created.body.software_id)
    kit.certificate = String((created.body.transport as { cert_header: string }).cert_header)
    kit.redirects = created.body.redirect_uris as string[]
  })

  step('3. build the signed registration request (200)', async () => {
    const prepared = await tryItOut('Sandbox', 'createRegistrationRequest', async (op) => {
      // Filled in from the kit's answer: nothing copied by hand.
      expect(await op.locator('tr[data-param-name="softwareId"] input').inputValue()).toBe(kit.softwareId)
    })
    expect(prepared.status).toBe(200)
    kit.jwt = String(prepared.body.jwt)
  })

  step('4. register the client (201, stored)', async () => {
    const registered = await tryItOut('Registration', 'registerClient', async (op) => {
      await op.locator('tr[data-param-name="brand"] select').selectOption(brand)
      expect(await op.getByPlaceholder('X-Client-Certificate').inputValue()).toBe(kit.certificate)
      expect(await op.locator('.opblock-section-request-body select').first().inputValue()).toBe('application/jose')
      expect(await op.locator('.opblock-section-request-body textarea').inputValue()).toBe(kit.jwt)
    })
    await page.screenshot({ path: `${screenshots}swagger-register.png`, fullPage: false })
    expect(registered.status).toBe(201)
    client.id = String(registered.body.client_id)
    client.secret = String(registered.body.client_secret)
    expect(client.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(await bearer()).toBe(registered.body.registration_access_token)
    expect(await bank.store.get(client.id)).toMatchObject({ softwareId: kit.softwareId, tenant: brand })
  })

  step('5. get an access token (200) and authorize Swagger UI with it', async () => {
    const token = await tryItOut('Token', 'requestToken', async (op) => {
      await op.locator('tr[data-param-name="brand"] select').selectOption(brand)
      expect(await op.getByPlaceholder('X-Client-Certificate').inputValue()).toBe(kit.certificate)
      const grant = op.locator('.opblock-section-request-body select:has(option[value="client_credentials"])')
      expect(await grant.inputValue()).toBe('client_credentials')
      expect(await op.getByPlaceholder('client_id', { exact: true }).inputValue()).toBe(client.id)
      expect(await op.getByPlaceholder('client_secret', { exact: true }).inputValue()).toBe(client.secret)
    })
    expect(token.body).toMatchObject({ token_type: 'Bearer' })
    expect(token.status).toBe(200)
    client.accessToken = String(token.body.access_token)
    // Swagger UI is authorized with the new token without the Authorize dialog.
    expect(await bearer()).toBe(client.accessToken)
  })

  step('6. read the client (200)', async () => {
    const read = await tryItOut('Registration', 'readClient', brandAndClient)
    expect(read.status).toBe(200)
    expect(read.body.client_id).toBe(client.id)
  })

  step('7. update its redirect URIs with a new signed request (200)', async () => {
    const again = await tryItOut('Sandbox', 'createRegistrationRequest', async (op) => {
      await op.locator('.opblock-section-request-body textarea').fill(
        JSON.stringify({
          brand,
          metadata: { token_endpoint_auth_method: 'client_secret_post', redirect_uris: [kit.redirects[1]] },
        }),
      )
    })
    expect(again.status).toBe(200)
    const updated = await tryItOut('Registration', 'updateClient', async (op) => {
      await brandAndClient(op)
      expect(await op.locator('.opblock-section-request-body select').first().inputValue()).toBe('application/jose')
      expect(await op.locator('.opblock-section-request-body textarea').inputValue()).toBe(String(again.body.jwt))
    })
    expect(updated.status).toBe(200)
    expect(updated.body.redirect_uris).toEqual([kit.redirects[1]])
  })

  step('8. rotate the client secret (200)', async () => {
    const rotated = await tryItOut('Registration', 'rotateClientSecret', brandAndClient)
    expect(rotated.status).toBe(200)
    expect(rotated.body.client_secret).not.toBe(client.secret)
    expect(await bearer()).toBe(rotated.body.registration_access_token)
  })

  step('9. delete the client (204, gone from the store)', async () => {
    const deleted = await tryItOut('Registration', 'deleteClient', brandAndClient)
    expect(deleted.status).toBe(204)
    expect(await bank.store.get(client.id)).toBeUndefined()
    await page.screenshot({ path: `${screenshots}swagger-delete.png`, fullPage: false })
  })
})

import { expect } from 'vitest'
import type { DcrErrorCode, DcrOptions } from '../../src/index.js'
import { type Answer, expectError } from './answer.js'
import { type BankName, createScene, type Scene } from './scene.js'

/** One bad input: how to send it, and the refusal it must get. */
export interface BadInput {
  name: string
  status: number
  error: DcrErrorCode
  /** What the description must say. */
  description?: RegExp
  /** Response headers that must match, e.g. `www-authenticate`. */
  headers?: Record<string, RegExp>
  /** A bank other than the family's. */
  bank?: BankName
  /** Options over the bank's. */
  options?: Partial<DcrOptions>
  /** Runs before the "nothing changed" snapshot: e.g. a first registration whose jti the case replays. */
  arrange?: (scene: Scene) => Promise<void>
  send: (scene: Scene) => PromiseLike<Answer>
}

/** A table of bad inputs sharing a bank. */
export interface Family {
  name: string
  bank: BankName
  /** Prepares every case's scene, e.g. registers the client the cases manage. */
  arrange?: (scene: Scene) => Promise<void>
  cases: BadInput[]
}

/**
 * One table row: `bad('future iat', [400, 'invalid_client_metadata', /in the future/], (s) => ...)`.
 * `more` names another bank, options, or an arrange step.
 */
export const bad = (
  name: string,
  [status, error, description]: [number, DcrErrorCode, RegExp?],
  send: BadInput['send'],
  more: Pick<BadInput, 'bank' | 'options' | 'arrange' | 'headers'> = {},
): BadInput => ({ name, status, error, send, ...(description ? { description } : {}), ...more })

/** What a refused request must leave as it was: every stored client, and the replay store's claims. */
async function snapshot(scene: Scene) {
  const { store, replay } = scene.bank
  return {
    created: store.created.map((record) => record.clientId),
    records: await Promise.all(store.created.map((record) => store.get(record.clientId))),
    claims: [...replay.claims],
  }
}

/**
 * Runs one case on a fresh scene: the family's and the case's arrange steps, then the request, then
 * asserts the exact refusal, no leak, nothing stored or changed, and no replay claim left behind.
 */
export async function expectRefused(family: Family, input: BadInput): Promise<void> {
  const scene = await createScene(input.bank ?? family.bank, input.options)
  await family.arrange?.(scene)
  await input.arrange?.(scene)
  const before = await snapshot(scene)
  const answer = await input.send(scene)
  expectError(answer, input, scene.secrets)
  expect(answer.headers['cache-control'], 'every DCR answer is no-store').toBe('no-store')
  expect(await snapshot(scene), 'a refused request changed the store or left a replay claim').toEqual(before)
}

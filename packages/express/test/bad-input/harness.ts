import { expect } from 'vitest'
import type { DcrErrorCode, DcrOptions } from '../../src/index.js'
import { type BankName, createScene, type Scene } from './scene.js'

/** What a case's request answered: the members every assertion reads (supertest's and fetch's alike). */
export interface Answer {
  status: number
  text: string
  body: unknown
  headers: Record<string, string | string[] | undefined>
}

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

/**
 * What must never appear in an answer: stack frames, internal paths, library internals.
 * Descriptions legitimately say "expired at" or "at position 3", so "at " counts only as a stack frame.
 */
const internals: RegExp[] = [
  /\/work\b/,
  /node_modules/,
  /\bat (?:async )?(?:[\w$.<>[\]]+ )?\((?:[^)\s]*:\d+:\d+|<anonymous>|native)\)/,
  /\bat (?:file:\/\/|node:)\S+/,
  /&lt;anonymous&gt;|<anonymous>/,
  /\.[cm]?[jt]s:\d+:\d+/,
]

/** Asserts that an answer is the RFC 7591/6749/6750 error expected, and leaks nothing. */
export function expectError(
  answer: Answer,
  expected: Pick<BadInput, 'status' | 'error' | 'description' | 'headers'>,
  secrets: readonly string[],
): void {
  const shown = `${answer.status} ${answer.text.slice(0, 600)}`
  expect(answer.status, shown).toBe(expected.status)
  expect(answer.status, shown).toBeGreaterThanOrEqual(400)
  expect(answer.status, shown).toBeLessThan(500)
  expect(String(answer.headers['content-type']), shown).toMatch(/^application\/json\b/)
  const body = answer.body as Record<string, unknown>
  expect(Object.keys(body).sort(), shown).toEqual(['error', 'error_description'])
  expect(body.error, shown).toBe(expected.error)
  expect(typeof body.error_description, shown).toBe('string')
  if (expected.description) expect(body.error_description, shown).toMatch(expected.description)
  for (const [name, value] of Object.entries(expected.headers ?? {}))
    expect(String(answer.headers[name]), name).toMatch(value)
  const everything = `${answer.text}\n${JSON.stringify(answer.headers)}`
  for (const pattern of internals) expect(everything, `an answer shows internals (${pattern})`).not.toMatch(pattern)
  for (const secret of secrets) expect(everything.includes(secret), 'an answer shows a secret').toBe(false)
}

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

import { expect } from 'vitest'

/** What a case's request answered: the members every assertion reads (supertest's and fetch's alike). */
export interface Answer {
  status: number
  text: string
  body: unknown
  headers: Record<string, string | string[] | undefined>
}

/** The refusal an answer must be. */
export interface ExpectedError {
  status: number
  /** The RFC 7591/6749/6750 code (the sandbox's own endpoints use the same). */
  error: string
  /** What the description must say. */
  description?: RegExp
  /** Response headers that must match, e.g. `www-authenticate`. */
  headers?: Record<string, RegExp>
}

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
export function expectError(answer: Answer, expected: ExpectedError, secrets: readonly string[]): void {
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

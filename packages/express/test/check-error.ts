import { expect } from 'vitest'
import {
  CheckError,
  type CheckErrorCode,
  type CheckSubject,
  type ErrorResponse,
  toErrorResponse,
} from '../src/index.js'

/** The CheckError `fn` throws (failing the test when it returns, or throws anything else). */
export function thrownCheck(fn: () => unknown): CheckError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CheckError)
    return err as CheckError
  }
  throw new Error('expected a CheckError, but nothing was thrown')
}

/** The CheckError `promise` rejects with (failing the test when it resolves, or rejects with anything else). */
export async function rejectedCheck(promise: Promise<unknown>): Promise<CheckError> {
  const err = await promise.then(
    () => new Error('expected a CheckError, but the promise resolved'),
    (reason: unknown) => reason,
  )
  expect(err).toBeInstanceOf(CheckError)
  return err as CheckError
}

/** Asserts a CheckError's code and subject, and the HTTP answer (status, `error`) the mapping gives it. */
export function expectCheck(
  err: CheckError,
  code: CheckErrorCode,
  subject: CheckSubject,
  answer: { status: number; error: ErrorResponse['body']['error'] },
): void {
  expect({ code: err.code, subject: err.subject }).toEqual({ code, subject })
  const response = toErrorResponse(err)
  expect({ status: response.status, error: response.body.error }).toEqual(answer)
}

import { DcrError } from '../errors.js'

/** A request's client metadata claims, untrusted until the policy has read them. */
export type Claims = Readonly<Record<string, unknown>>

/** The claim as a string, or undefined when absent; anything else is `invalid_client_metadata`. */
export function optionalString(claims: Claims, name: string, maxLength = 2048): string | undefined {
  const value = claims[name]
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) {
    throw new DcrError('invalid_client_metadata', `"${name}" must be a single string, not an array`)
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new DcrError('invalid_client_metadata', `"${name}" must be a non-empty string`)
  }
  if (value.length > maxLength) {
    throw new DcrError('invalid_client_metadata', `"${name}" is longer than ${maxLength} characters`)
  }
  return value
}

/** The claim as an array of strings, or undefined when absent. */
export function optionalStringArray(claims: Claims, name: string): string[] | undefined {
  const value = claims[name]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0)) {
    throw new DcrError('invalid_client_metadata', `"${name}" must be an array of non-empty strings`)
  }
  return value
}

/** The claim as one of `allowed`, or undefined when absent. */
export function optionalOneOf<T extends string>(claims: Claims, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(claims, name)
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) {
    throw new DcrError(
      'invalid_client_metadata',
      `"${name}" "${value}" is not supported; use one of ${allowed.join(', ')}`,
    )
  }
  return value as T
}

/** Throws `invalid_client_metadata` naming the missing claim. */
export function missing(name: string, hint = ''): never {
  throw new DcrError('invalid_client_metadata', `"${name}" is required${hint}`)
}

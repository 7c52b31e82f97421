import { CheckError } from '../check-error.js'

/** A client metadata value that is missing or not allowed: `ERR_DCR_CLIENT_METADATA_INVALID`. */
export const invalidMetadata = (description: string): CheckError =>
  new CheckError('ERR_DCR_CLIENT_METADATA_INVALID', 'client metadata', description)

/** A request's client metadata claims, untrusted until the policy has read them. */
export type Claims = Readonly<Record<string, unknown>>

/** The claim as a string, or undefined when absent; anything else is `ERR_DCR_CLIENT_METADATA_INVALID`. */
export function optionalString(claims: Claims, name: string, maxLength = 2048): string | undefined {
  const value = claims[name]
  if (value === undefined || value === null) return undefined
  if (Array.isArray(value)) {
    throw invalidMetadata(`"${name}" must be a single string, not an array`)
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidMetadata(`"${name}" must be a non-empty string`)
  }
  if (value.length > maxLength) {
    throw invalidMetadata(`"${name}" is longer than ${maxLength} characters`)
  }
  return value
}

/** The claim as an array of strings, or undefined when absent. */
export function optionalStringArray(claims: Claims, name: string): string[] | undefined {
  const value = claims[name]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0)) {
    throw invalidMetadata(`"${name}" must be an array of non-empty strings`)
  }
  return value
}

/** The claim as one of `allowed`, or undefined when absent. */
export function optionalOneOf<T extends string>(claims: Claims, name: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(claims, name)
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidMetadata(`"${name}" "${value}" is not supported; use one of ${allowed.join(', ')}`)
  }
  return value as T
}

/** Throws `ERR_DCR_CLIENT_METADATA_INVALID` naming the missing claim. */
export function missing(name: string, hint = ''): never {
  throw invalidMetadata(`"${name}" is required${hint}`)
}

import { tokenError } from './token-error.js'

/**
 * The scope a token request gets: the requested one when every scope in it is `allowed`; empty or
 * absent → all of `allowed`. Anything else is `invalid_scope`.
 */
export function grantScope(requested: unknown, allowed: string, what = 'registered for this client'): string {
  const scopes = allowed.split(' ').filter(Boolean)
  if (requested === undefined || requested === '') return scopes.join(' ')
  if (typeof requested !== 'string') throw tokenError('invalid_request', '"scope" must appear once')
  const asked = [...new Set(requested.split(' ').filter(Boolean))]
  const refused = asked.filter((scope) => !scopes.includes(scope))
  if (refused.length > 0) throw tokenError('invalid_scope', `scope ${refused.join(' ')} was not ${what}`)
  return asked.join(' ')
}

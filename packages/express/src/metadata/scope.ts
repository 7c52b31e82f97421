import { invalidMetadata } from './claims.js'

/** UK OB software roles → the scopes they allow. */
export const defaultRoleScopes: Readonly<Record<string, readonly string[]>> = {
  AISP: ['accounts'],
  PISP: ['payments'],
  CBPII: ['fundsconfirmations'],
}

const maxLength = 256

/**
 * The scopes a software may register: `always` (e.g. openid) plus those of its roles; every
 * role's scopes when the software has no statement of roles.
 */
export function allowedScopes(
  roles: readonly string[] | undefined,
  roleScopes: Readonly<Record<string, readonly string[]>>,
  always: readonly string[],
): string[] {
  // Roles come from the request: an own-property check keeps "constructor" or "__proto__" from
  // reaching Object.prototype.
  const fromRoles = roles
    ? roles.flatMap((role) => (Object.hasOwn(roleScopes, role) ? (roleScopes[role] ?? []) : []))
    : Object.values(roleScopes).flat()
  return [...new Set([...always, ...fromRoles])]
}

/** Checks a requested `scope` (space separated) against the allowed scopes; omitted → all allowed. */
export function checkScope(
  requested: unknown,
  allowed: readonly string[],
  roles: readonly string[] | undefined,
): string {
  if (requested === undefined || requested === null) return allowed.join(' ')
  if (typeof requested !== 'string' || requested.trim().length === 0) {
    throw invalidMetadata('"scope" must be a non-empty space-separated string')
  }
  if (requested.length > maxLength) {
    throw invalidMetadata(`"scope" is longer than ${maxLength} characters`)
  }
  const scopes = [...new Set(requested.trim().split(/\s+/))]
  const refused = scopes.filter((scope) => !allowed.includes(scope))
  if (refused.length > 0) {
    const by = roles ? `software_roles [${roles.join(', ')}]` : 'this brand'
    throw invalidMetadata(`scope ${refused.join(' ')} is not allowed by ${by}; allowed: ${allowed.join(' ')}`)
  }
  return scopes.join(' ')
}

import type { ConfigProblem } from './validate.js'

/** Brand ids that are the sandbox's own top-level paths. */
export const reservedBrandIds = ['sandbox', 'directory', 'docs', 'brands', 'health', 'openapi.json'] as const

type Entry = Record<string, unknown>

const entries = (document: Entry, key: string): Entry[] => {
  const value = document[key]
  return Array.isArray(value) ? (value as Entry[]) : []
}

/** Values two entries of one list may not share: `brands[4].id: "x" is already brands[1].id`. */
function duplicates(list: Entry[], listName: string, field: string): ConfigProblem[] {
  const seen = new Map<unknown, number>()
  const problems: ConfigProblem[] = []
  list.forEach((entry, index) => {
    const value = entry[field]
    const first = seen.get(value)
    if (first === undefined) seen.set(value, index)
    else {
      const message = `${JSON.stringify(value)} is already ${listName}[${first}].${field}`
      problems.push({ path: `${listName}[${index}].${field}`, message })
    }
  })
  return problems
}

function brandProblems(brand: Entry, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = []
  if ((reservedBrandIds as readonly unknown[]).includes(brand.id)) {
    problems.push({ path: `${at}.id`, message: `"${String(brand.id)}" is reserved by the sandbox` })
  }
  const management = (brand.management ?? {}) as Entry
  if (management.registrationAccessToken === false && management.accessToken === false) {
    problems.push({
      path: `${at}.management`,
      message: 'must accept registration access tokens, access tokens, or both (both are false)',
    })
  }
  return problems
}

/**
 * What the schema cannot say, on a document the schema accepted: unique brand ids and portal-app
 * client ids, reserved brand ids, a way to find each directory's keys, a way to manage clients.
 */
export function semanticProblems(document: Entry): ConfigProblem[] {
  const brands = entries(document, 'brands')
  const directories = entries(document, 'directories')
  return [
    ...brands.flatMap((brand, index) => brandProblems(brand, `brands[${index}]`)),
    ...duplicates(brands, 'brands', 'id'),
    ...duplicates(entries(document, 'portalApps'), 'portalApps', 'client_id'),
    ...directories.flatMap((directory, index) =>
      directory.jwks === undefined && directory.jwksUri === undefined
        ? [{ path: `directories[${index}]`, message: 'must give jwks or jwksUri' }]
        : [],
    ),
  ]
}

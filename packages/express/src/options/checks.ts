/** Throws the startup error every option check uses: a TypeError that names the option. */
export const fail = (option: string, why: string): never => {
  throw new TypeError(`open-dcr: option "${option}" ${why}`)
}

/** An absolute URL. */
export function url(option: string, value: unknown): string {
  if (typeof value !== 'string' || !URL.canParse(value)) fail(option, 'must be an absolute URL')
  return value as string
}

/** A whole number of seconds, 0 or more; `fallback` when absent. */
export function seconds(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 0) fail(option, 'must be a whole number of seconds, 0 or more')
  return value
}

/** A whole number of at least `min`; `fallback` when absent. */
export function wholeNumber(option: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min) fail(option, `must be a whole number, at least ${min}`)
  return value
}

/** A non-empty string; `fallback` when absent. */
export function text(option: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.length === 0) fail(option, 'must be a non-empty string')
  return value
}

/** A function, or absent. */
export function optionalFunction<T>(option: string, value: T | undefined, shape: string): T | undefined {
  if (value !== undefined && typeof value !== 'function') fail(option, `must be a function ${shape}`)
  return value
}

/**
 * A non-empty subset of `allowed`, without repeats; `fallback` when absent. `refused` names values
 * of the vocabulary this brand can never accept, with the reason; the message always lists exactly
 * the values that are accepted.
 */
export function subset<T extends string>(
  option: string,
  value: T[] | undefined,
  allowed: readonly T[],
  fallback: readonly T[],
  refused: Partial<Record<T, string>> = {},
): T[] {
  if (value === undefined) return [...fallback]
  if (!Array.isArray(value) || value.length === 0) fail(option, 'must be a non-empty array')
  const accepted = allowed.filter((item) => !Object.hasOwn(refused, item))
  for (const item of value) {
    if (accepted.includes(item)) continue
    const why = Object.hasOwn(refused, item) ? `, which ${refused[item]}` : ''
    fail(option, `has "${String(item)}"${why}; allowed values: ${accepted.join(', ')}`)
  }
  return [...new Set(value)]
}

/** An object with each of `methods` as a function (a store, a logger). */
export function hasMethods(option: string, value: unknown, methods: readonly string[]): void {
  if (typeof value !== 'object' || value === null) fail(option, `must be an object with ${methods.join(', ')}`)
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)[method] !== 'function') fail(option, `must have a ${method}() method`)
  }
}

/** A list of origins such as `https://jwks.example:8443` (no path). */
export function origins(option: string, value: string[] | undefined): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) return fail(option, 'must be an array of origins such as https://jwks.example')
  return value.map((origin, index) => {
    const parsed = URL.canParse(origin) ? new URL(origin) : undefined
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      fail(`${option}[${index}]`, 'must be an origin such as https://jwks.example:8443 (no path)')
    }
    return (parsed as URL).origin
  })
}

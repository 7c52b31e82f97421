/**
 * An untrusted value (a JSON claim, a header member) as text for an error description. `String()`
 * would call the value's own `toString` (a JSON object may carry `"toString": 1`, which throws) and
 * recurse through nested arrays (20,000 levels overflow the stack): this does neither.
 *
 * @example
 * printable({ toString: 1 }) // 'an object'
 */
export function printable(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || value === undefined) {
    return String(value)
  }
  return Array.isArray(value) ? 'an array' : `a${typeof value === 'object' ? 'n object' : ` ${typeof value}`}`
}

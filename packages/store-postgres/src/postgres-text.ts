/**
 * PostgreSQL text (and so JSONB) cannot hold U+0000 or a lone UTF-16 surrogate, both of which a
 * JavaScript string, and so client metadata parsed from a request, may contain. Such a string is
 * kept as a marker (U+FDD0, a noncharacter) followed by the hex of its UTF-16 code units; a string
 * that itself starts with the marker is encoded too, so decoding is exact and every other string
 * is stored as it is (and stays readable and queryable).
 */
const marker = '\uFDD0'
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is exactly what PostgreSQL text refuses
const unstorable = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** `text` as PostgreSQL can store it. */
export function encodeText(text: string): string {
  if (!text.startsWith(marker) && !unstorable.test(text)) return text
  return marker + Buffer.from(text, 'utf16le').toString('hex')
}

/** The string {@link encodeText} was given. */
export function decodeText(stored: string): string {
  if (!stored.startsWith(marker)) return stored
  return Buffer.from(stored.slice(marker.length), 'hex').toString('utf16le')
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value)
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      // JSON.stringify drops undefined members; keep the stored document identical to that.
      if (item !== undefined) out[map(key)] = mapStrings(item, map)
    }
    return out
  }
  return value
}

/** A JSON value with every string and member name made storable in JSONB. */
export const encodeJson = (value: unknown): Json => mapStrings(value, encodeText) as Json

/** The value {@link encodeJson} was given (as JSON, so without undefined members). */
export const decodeJson = <T>(stored: unknown): T => mapStrings(stored, decodeText) as T

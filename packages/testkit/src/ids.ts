import { randomInt } from 'node:crypto'

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A random base62 string, the shape of UK OB directory ids (software ids: 22, org ids: 18). */
export function base62Id(length: number): string {
  let id = ''
  for (let i = 0; i < length; i++) id += base62[randomInt(base62.length)]
  return id
}

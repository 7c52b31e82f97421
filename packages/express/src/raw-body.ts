/** Where body parsers leave the raw bytes (for `Digest`). */
export interface RawBodyRequest {
  rawBody?: Buffer
}

/**
 * Body-parser `verify` hook keeping the raw body for the Digest check. Its own module: the
 * profiles' body parsers and the HTTP signature step both use it, and neither may import the other.
 */
export const keepRawBody = (req: unknown, _res: unknown, buf: Buffer): void => {
  ;(req as RawBodyRequest).rawBody = buf
}

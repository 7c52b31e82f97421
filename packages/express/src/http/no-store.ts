import type { Response } from 'express'

/** Sets the headers every DCR answer carries: responses hold credentials or describe them. */
export function setNoStore(res: Response): void {
  res.set('Cache-Control', 'no-store')
  res.set('Pragma', 'no-cache')
}

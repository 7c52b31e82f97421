import type { Logger } from '@open-dcr/express'

let errors = 0

/**
 * Drops info and warnings (the memory stores' "for tests" notice, the mTLS notice) but shows the
 * first few errors on stderr: a 500 during a load window should be explained, not only counted.
 */
export const quietLogger: Logger = {
  info: () => {},
  warn: () => {},
  error: (obj, msg) => {
    if (++errors <= 5) console.error(`[server ${process.pid}] ${msg} ${JSON.stringify(obj)}`)
  },
}

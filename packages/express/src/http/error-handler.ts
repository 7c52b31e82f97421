import type { ErrorRequestHandler } from 'express'
import type { Logger } from '../logger.js'
import type { DcrRefusal } from '../options/hooks.js'
import { StoreUnavailableError } from '../stores/types.js'
import { DirectoryUnavailableError } from '../verify/software-statement.js'
import { toErrorResponse } from './error-response.js'
import { setNoStore } from './no-store.js'

/**
 * The one error handler: every error becomes its {@link toErrorResponse} answer, `no-store`, then
 * `refused` (the `refused` hook) is told the code and status. An
 * unavailable store or directory (with the URL that failed) and unknown errors are logged by name and message only (never sent).
 *
 * @example
 * router.use(dcrErrorHandler(consoleLogger))
 */
export function dcrErrorHandler(logger: Logger, refused?: (refusal: DcrRefusal) => void): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err)
      return
    }
    const answer = toErrorResponse(err)
    if (err instanceof StoreUnavailableError) {
      logger.error({ err: { name: err.name, message: err.message } }, 'client store unavailable')
    } else if (err instanceof DirectoryUnavailableError) {
      logger.error(
        { err: { name: err.name, message: err.message }, issuer: err.issuer, url: err.url },
        'trusted directory unavailable',
      )
    } else if (!answer.known) {
      const { name, message } = err instanceof Error ? err : { name: typeof err, message: String(err) }
      logger.error({ err: { name, message } }, 'unexpected error in DCR request')
    }
    setNoStore(res)
    res.set(answer.headers)
    res.status(answer.status).json(answer.body)
    try {
      refused?.({ error: answer.body.error, status: answer.status, method: req.method })
    } catch (hookErr) {
      logger.error(
        { hook: 'refused', err: { message: String((hookErr as Error)?.message ?? hookErr) } },
        'refused hook failed',
      )
    }
  }
}

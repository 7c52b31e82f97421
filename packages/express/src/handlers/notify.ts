import type { RequestHandler } from 'express'
import type { Config, DcrHooks } from '../options.js'
import { required } from './context.js'

/** Calls a hook with the stored record; a failing hook is logged, the change stays made. */
export const notify =
  (config: Config, hook: Exclude<keyof DcrHooks, 'refused'>): RequestHandler =>
  async (_req, res, next) => {
    const record = required(res, 'record')
    try {
      await config.hooks[hook]?.(structuredClone(record))
    } catch (err) {
      config.logger.error(
        { clientId: record.clientId, hook, err: { message: String((err as Error)?.message ?? err) } },
        `${hook} hook failed`,
      )
    }
    next()
  }

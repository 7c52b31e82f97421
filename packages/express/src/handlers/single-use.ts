import type { RequestHandler } from 'express'
import { CheckError } from '../check-error.js'
import type { Config } from '../options.js'
import { required } from './context.js'

/**
 * Claims the request's single-use value (the request object's `jti`) in the replay store. It runs
 * after every check that changes nothing, just before the client is written, so requests refused
 * for their metadata, certificate or policy leave no claim behind; a replay is refused here
 * (`ERR_DCR_REQUEST_OBJECT_REPLAYED`).
 */
export const claimSingleUse =
  (config: Config): RequestHandler =>
  async (_req, res, next) => {
    const singleUse = required(res, 'input').singleUse
    if (singleUse && !(await config.replayStore.claim(singleUse.key, singleUse.expiresAt))) {
      throw new CheckError('ERR_DCR_REQUEST_OBJECT_REPLAYED', 'request object', singleUse.usedMessage)
    }
    next()
  }

import express, { type RequestHandler } from 'express'
import type { Config } from '../options.js'
import { keepRawBody, type RawBodyRequest } from '../raw-body.js'
import { assertSignatureValid, inspectHttpSignature } from '../verify/http-signature.js'
import { context } from './context.js'

/** For routes without a body parser: reads any body (within the limit) so the Digest can be checked. */
export const readRawBody = (config: Config): RequestHandler =>
  config.signatures
    ? express.raw({ type: () => true, limit: config.bodyLimit, verify: keepRawBody })
    : (_req, _res, next) => next()

/** Verifies the HTTP signature of the methods the brand lists; every problem is named in the error. */
export const verifyHttpSignature =
  (config: Config): RequestHandler =>
  (req, res, next) => {
    const settings = config.signatures
    if (!settings?.methods.includes(req.method)) {
      next()
      return
    }
    const report = inspectHttpSignature(
      {
        method: req.method,
        path: req.originalUrl,
        header: (name) => req.get(name),
        body: (req as RawBodyRequest).rawBody ?? Buffer.alloc(0),
      },
      settings,
      config.now,
      context(res).certificate,
    )
    context(res).sealCertificate = assertSignatureValid(report)
    next()
  }

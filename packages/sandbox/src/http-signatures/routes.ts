import { createTrustStore, inspectHttpSignature, optionDefaults } from '@open-dcr/express'
import { signHttpRequest } from '@open-dcr/testkit'
import type express from 'express'
import type { RequestHandler } from 'express'
import type { SandboxState } from '../state.js'
import { requestedQseal } from './qseal.js'
import { type SendDeps, sendSignedRequest } from './send.js'
import { readSignatureRequest } from './signature-request.js'

/** What the signature utility needs from the sandbox. */
export interface SignatureUtilityDeps extends SendDeps {
  state: SandboxState
}

/** `POST /sandbox/http-signatures`: the Date, Digest, Signature and TPP-Signature-Certificate headers for a request. */
function signRequest(deps: SignatureUtilityDeps): RequestHandler {
  return async (req, res) => {
    const input = readSignatureRequest(req.body)
    const qseal = await requestedQseal(deps.kits, input)
    const signed = signHttpRequest({
      method: input.method,
      path: input.path,
      body: input.body,
      headers: input.headers,
      keyPem: qseal.keyPem,
      certPem: qseal.certPem,
      algorithm: input.algorithm,
      now: deps.now(),
      ...(input.signedHeaders ? { signedHeaders: input.signedHeaders } : {}),
    })
    res.json({ signing_string: signed.signingString, headers: signed.headers })
  }
}

/** `POST /sandbox/http-signatures/verify`: checks a request as an eIDAS brand would, listing every mismatch. */
function verifyRequest(deps: SignatureUtilityDeps): RequestHandler {
  const defaults = optionDefaults.httpSignatures
  const trust = createTrustStore([deps.state.ca.certPem], [], 'sandbox')
  return (req, res) => {
    const input = readSignatureRequest(req.body)
    const report = inspectHttpSignature(
      {
        method: input.method.toUpperCase(),
        path: input.path,
        header: (name) => input.headers[name.toLowerCase()],
        body: Buffer.from(input.body),
      },
      {
        // The middleware's documented defaults: what an eIDAS brand checks unless configured otherwise.
        requiredHeaders: [...defaults.requiredHeaders],
        maxSkew: defaults.maxSkew,
        allowHexDigest: defaults.allowHexDigest,
        trust,
        certificateHeader: defaults.certificateHeader,
      },
      deps.now,
      undefined,
    )
    res.json({
      valid: report.problems.length === 0,
      problems: report.problems.map((problem) => problem.message),
      signing_string: report.signingString ?? null,
      expected_digest: report.expectedDigest,
    })
  }
}

/**
 * Mounts the signature utility: sign, send (sign and relay to a brand) and verify. `before` runs
 * first on each (the JSON body parser, no-store).
 */
export function mountSignatureUtility(
  app: express.Express,
  deps: SignatureUtilityDeps,
  before: readonly RequestHandler[],
): void {
  app.post('/sandbox/http-signatures', ...before, signRequest(deps))
  app.post('/sandbox/http-signatures/send', ...before, sendSignedRequest(deps))
  app.post('/sandbox/http-signatures/verify', ...before, verifyRequest(deps))
}

import type { SigningKey } from './keys.js'
import { type RequestMetadata, signRegistrationRequest } from './registration-request.js'
import type { RegistrationRequestDescription } from './request-description.js'

/** Who the TPP is and what it asks for; which members are used depends on the description. */
export interface RegistrationRequestInput {
  /** Client metadata as the TPP wants it registered (its defaults already merged); `undefined` members are left out. */
  metadata: RequestMetadata
  /** identity `software-statement`: the SSA's software_id (the JWT's `iss`). */
  softwareId?: string
  /** The directory-signed software statement; sent unless the description says `absent`. */
  softwareStatement?: string
  /** identity `certificate`: the QWAC's organizationIdentifier, sent as `iss`. */
  organizationIdentifier?: string
  /** format `signed-jwt`: the `aud` (the bank's issuer URL or org id). */
  audience?: string
  /** format `signed-jwt`: issue time, epoch ms. Default now. */
  now?: number
}

/** A registration request ready to send. */
export interface BuiltRegistrationRequest {
  contentType: string
  /** `signed-jwt`: the JWT; `json`: the JSON object. */
  body: string | Record<string, unknown>
  /** The exact bytes to send (and to sign with an HTTP signature). */
  text: string
}

const defined = (members: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(members).filter(([, value]) => value !== undefined))

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`this brand's registration request needs ${what}`)
  return value
}

/** The software statement to send: required ones must be there; `absent` ones never are. */
function statementOf(description: RegistrationRequestDescription, input: RegistrationRequestInput) {
  if (description.software_statement === 'absent') return undefined
  if (description.software_statement === 'required') return need(input.softwareStatement, 'a software statement')
  return input.softwareStatement
}

/**
 * Builds a registration request as a brand's description says: a JWT signed with `signer` carrying
 * the software statement, or a JSON body with the software statement or the certificate's identity.
 * The one builder the sandbox, the `open-dcr` CLI and the tests share.
 *
 * @example
 * const request = await buildRegistrationRequest(brand.registration_request,
 *   { metadata, softwareId, softwareStatement, audience: issuer }, signingKey)
 * await fetch(endpoint, { method: 'POST', headers: { 'content-type': request.contentType }, body: request.text })
 */
export async function buildRegistrationRequest(
  description: RegistrationRequestDescription,
  input: RegistrationRequestInput,
  signer?: SigningKey,
): Promise<BuiltRegistrationRequest> {
  const softwareStatement = statementOf(description, input)
  if (description.format === 'signed-jwt') {
    const key = need(signer, 'a signing key')
    const jwt = await signRegistrationRequest({
      key: key.privateKey,
      alg: key.alg,
      kid: key.kid,
      softwareId: need(input.softwareId, 'the software id'),
      softwareStatement: need(softwareStatement, 'a software statement'),
      audience: need(input.audience, 'an audience'),
      metadata: input.metadata,
      ...(input.now === undefined ? {} : { now: input.now }),
    })
    return { contentType: description.content_type, body: jwt, text: jwt }
  }
  const identity =
    description.identity === 'certificate'
      ? { iss: need(input.organizationIdentifier, "the QWAC's organizationIdentifier") }
      : { software_statement: softwareStatement }
  const body = defined({ ...identity, ...input.metadata })
  return { contentType: description.content_type, body, text: JSON.stringify(body) }
}

import type { ClientRecord } from '@open-dcr/express'
import { AuthorizationError, invalidRequest as invalid } from './authorization-error.js'
import type { Params, RedirectTarget, ResponseType, ValidatedAuthorization } from './authorization-types.js'
import type { AuthorizationContext } from './context.js'
import { checkCodeChallenge } from './pkce.js'

/** The response type asked for: one the sandbox serves, the brand offers and the client registered (with the code grant). */
function checkResponseType(params: Params, client: ClientRecord, context: AuthorizationContext): ResponseType {
  const type = params.response_type
  if (type === undefined) throw invalid('response_type is required')
  if ((type !== 'code' && type !== 'code id_token') || !context.responseTypes.includes(type)) {
    throw new AuthorizationError(
      'unsupported_response_type',
      `response_type must be one of ${context.responseTypes.join(', ')}`,
    )
  }
  const registered = Array.isArray(client.metadata.response_types) ? client.metadata.response_types : []
  if (!registered.includes(type)) {
    throw new AuthorizationError('unauthorized_client', `this client did not register response_type "${type}"`)
  }
  const grants = Array.isArray(client.metadata.grant_types) ? client.metadata.grant_types : []
  if (!grants.includes('authorization_code')) {
    throw new AuthorizationError('unauthorized_client', 'this client did not register the authorization_code grant')
  }
  return type
}

function checkResponseMode(params: Params, type: ResponseType): void {
  const mode = params.response_mode
  if (mode === undefined || mode === 'fragment') return
  if (mode !== 'query') throw invalid(`response_mode "${mode}" is not supported; use query or fragment`)
  if (type !== 'code')
    throw invalid('response_mode query is not allowed with code id_token (tokens never go in a query)')
}

/** FAPI: a client that registered request_object_signing_alg sends its requests only as signed request objects. */
function requireRequestObject(params: Params, client: ClientRecord): void {
  const alg = client.metadata.request_object_signing_alg
  if (typeof alg === 'string' && params.request === undefined) {
    throw invalid(`this client registered request_object_signing_alg ${alg}: send a signed request object (request)`)
  }
}

function checkScope(params: Params, client: ClientRecord, type: ResponseType): string {
  if (params.scope === undefined) throw new AuthorizationError('invalid_scope', 'scope is required')
  const requested = [...new Set(params.scope.split(' ').filter(Boolean))]
  const registered = typeof client.metadata.scope === 'string' ? client.metadata.scope.split(' ') : []
  const refused = requested.filter((scope) => !registered.includes(scope))
  if (refused.length > 0) {
    throw new AuthorizationError('invalid_scope', `scope ${refused.join(' ')} was not registered for this client`)
  }
  if (type === 'code id_token' && !requested.includes('openid')) {
    throw new AuthorizationError('invalid_scope', 'response_type code id_token needs the openid scope')
  }
  return requested.join(' ')
}

function checkNonce(params: Params, type: ResponseType): string | undefined {
  if (type === 'code id_token' && params.nonce === undefined) throw invalid('nonce is required with code id_token')
  return params.nonce
}

/** The sandbox always shows a consent page, so `prompt=none` cannot be honoured (OIDC Core §3.1.2.6). */
function checkPrompt(params: Params): void {
  if (params.prompt?.split(' ').includes('none')) {
    throw new AuthorizationError('consent_required', 'the payment service user must approve this request')
  }
}

/** Every check after the client and its redirect URI are known good; errors go to the client. */
export function checkRequest(
  params: Params,
  plain: Params,
  client: ClientRecord,
  target: RedirectTarget,
  context: AuthorizationContext,
): ValidatedAuthorization {
  const responseType = checkResponseType(params, client, context)
  checkResponseMode(params, responseType)
  requireRequestObject(plain, client)
  const scope = checkScope(params, client, responseType)
  const nonce = checkNonce(params, responseType)
  const codeChallenge = checkCodeChallenge(params.code_challenge, params.code_challenge_method)
  checkPrompt(params)
  return {
    ...target,
    clientId: client.clientId,
    responseType,
    scope,
    codeChallenge,
    ...(nonce === undefined ? {} : { nonce }),
  }
}

import { openAuthorizationCode } from '../authorization/authorization-code.js'
import { idTokenKey, signIdToken } from '../authorization/id-token.js'
import { verifierMatches } from '../authorization/pkce.js'
import { authenticateClient } from './client-authentication.js'
import { issueRefreshToken } from './refresh-tokens.js'
import { formValue, type Grant, requireGrantType, type TokenResponseBody } from './token-context.js'
import { tokenError } from './token-error.js'

const invalidGrant = (description: string) => tokenError('invalid_grant', description)

/**
 * `grant_type=authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.5): the authenticated client
 * redeems a code issued to it, once, with the authorization request's redirect URI and the PKCE
 * verifier. Answers a (certificate-bound) access token, an ID token when `openid` was granted
 * (`iss` = the issuer the authorization request was made at), and a refresh token when the client
 * registered that grant.
 */
export const authorizationCodeGrant: Grant = async (req, form, { options, authentication }) => {
  const client = await authenticateClient(req, form, authentication)
  requireGrantType(client.record, 'authorization_code')
  const code = formValue(form, 'code', true)
  const redirectUri = formValue(form, 'redirect_uri', true)
  const verifier = formValue(form, 'code_verifier', true)

  const opened = await openAuthorizationCode(options.sealer, options.brandId, code)
  if (!opened.ok) {
    throw invalidGrant(opened.reason === 'expired' ? 'the code has expired' : 'the code is not a code of this brand')
  }
  const { grant } = opened
  if (grant.clientId !== client.record.clientId) throw invalidGrant('the code was issued to another client')
  if (grant.redirectUri !== redirectUri) {
    throw invalidGrant('redirect_uri must be the one of the authorization request')
  }
  if (!verifierMatches(verifier, grant.codeChallenge)) {
    throw invalidGrant('code_verifier does not match the code_challenge (S256)')
  }
  // Single use, claimed only once everything else holds: a stranger's attempt does not burn the code.
  if (!(await options.store.claim(`authorization-code:${grant.id}`, (grant.expiresAt + 1) * 1000))) {
    throw invalidGrant('the code has already been used')
  }

  const { token, expiresIn } = await options.tokens.issue({
    issuer: grant.issuer,
    clientId: client.record.clientId,
    subject: grant.subject,
    scope: grant.scope,
    ...(client.certificateThumbprint ? { certificateThumbprint: client.certificateThumbprint } : {}),
  })
  const body: TokenResponseBody = {
    access_token: token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    scope: grant.scope,
  }
  if (grant.scope.split(' ').includes('openid')) {
    body.id_token = await signIdToken(
      idTokenKey(client.record, options.keys, options.signingAlgorithms),
      {
        issuer: grant.issuer,
        subject: grant.subject,
        audience: client.record.clientId,
        authTime: grant.authTime,
        accessToken: token,
        ...(grant.nonce === undefined ? {} : { nonce: grant.nonce }),
      },
      options.now(),
    )
  }
  const grants = client.record.metadata.grant_types
  if (Array.isArray(grants) && grants.includes('refresh_token')) {
    body.refresh_token = await issueRefreshToken(options.sealer, options.brandId, {
      clientId: client.record.clientId,
      scope: grant.scope,
      subject: grant.subject,
      issuer: grant.issuer,
      authTime: grant.authTime,
    })
  }
  return body
}

import type { KitFile } from '../cli-register.js'
import { jwtBearerAssertionType, signClientAssertion } from '../client-assertion.js'
import { signingKeyFromJwk } from '../keys.js'

/** How the client authenticates at the token endpoint, as `--method` and `--client-secret` say. */
export interface ClientCredentials {
  clientId: string
  clientSecret?: string
  method: string
}

/** The form fields and headers that authenticate the client at `tokenEndpoint` (tls_client_auth: the certificate does). */
export async function clientAuthentication(
  kit: KitFile,
  client: ClientCredentials,
  tokenEndpoint: string,
): Promise<{ fields: Record<string, string>; headers: Record<string, string> }> {
  const { clientId, clientSecret = '', method } = client
  if (method === 'client_secret_basic') {
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')
    return { fields: {}, headers: { authorization: `Basic ${basic}` } }
  }
  if (method === 'client_secret_post')
    return { fields: { client_id: clientId, client_secret: clientSecret }, headers: {} }
  if (method === 'private_key_jwt') {
    const key = await signingKeyFromJwk(kit.signing.private_jwk)
    const assertion = await signClientAssertion({
      key: key.privateKey,
      alg: key.alg,
      clientId,
      audience: tokenEndpoint,
    })
    return { fields: { client_assertion_type: jwtBearerAssertionType, client_assertion: assertion }, headers: {} }
  }
  if (method === 'tls_client_auth') return { fields: { client_id: clientId }, headers: {} }
  throw new Error('--method must be private_key_jwt, tls_client_auth, client_secret_basic or client_secret_post')
}

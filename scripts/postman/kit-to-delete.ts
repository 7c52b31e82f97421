// The "Kit to delete" folder of the Postman collection: the sandbox's quick path, in order, each
// request's tests saving what the next one needs into collection variables. Plain listener only:
// the kit's certificate travels in X-Client-Certificate (Postman cannot present it in TLS here).

type Script = string[]

interface FolderRequest {
  name: string
  method: 'GET' | 'POST' | 'DELETE'
  path: string
  headers?: Record<string, string>
  body?: { mode: 'raw'; raw: string; json?: boolean } | { mode: 'urlencoded'; fields: Record<string, string> }
  auth?: 'bearer' | 'basic'
  /** Postman test script lines, run on the answer. */
  test: Script
}

const expectStatus = (status: number): Script => [
  `pm.test('HTTP ${status}', function () { pm.response.to.have.status(${status}); });`,
]
const save = (pairs: Record<string, string>): Script => [
  'var answer = pm.response.json();',
  ...Object.entries(pairs).map(([variable, from]) => `pm.collectionVariables.set('${variable}', ${from});`),
]
/** RFC 7592 §3: each management answer may carry a new registration access token. */
const keepNewestToken: Script = [
  "if (answer.registration_access_token) pm.collectionVariables.set('registrationAccessToken', answer.registration_access_token);",
]
const certificate = { 'X-Client-Certificate': '{{certificate}}' }

const requests: FolderRequest[] = [
  {
    name: '1. Create a TPP kit',
    method: 'POST',
    path: '/sandbox/tpps',
    body: { mode: 'raw', raw: '{}', json: true },
    test: [
      ...expectStatus(201),
      ...save({ softwareId: 'answer.software_id', certificate: 'answer.transport.cert_header' }),
    ],
  },
  {
    name: '2. Build the signed registration request',
    method: 'POST',
    path: '/sandbox/tpps/{{softwareId}}/registration-request',
    body: {
      mode: 'raw',
      raw: '{"brand": "{{brand}}", "metadata": {"token_endpoint_auth_method": "client_secret_basic"}}',
      json: true,
    },
    test: [
      ...expectStatus(200),
      ...save({
        registrationRequest: "typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)",
        registrationContentType: 'answer.content_type',
      }),
    ],
  },
  {
    name: '3. Register the client',
    method: 'POST',
    path: '/{{brand}}/register',
    headers: { 'Content-Type': '{{registrationContentType}}', ...certificate },
    body: { mode: 'raw', raw: '{{registrationRequest}}' },
    test: [
      ...expectStatus(201),
      ...save({
        clientId: 'answer.client_id',
        clientSecret: 'answer.client_secret',
        registrationAccessToken: 'answer.registration_access_token',
      }),
    ],
  },
  {
    name: '4. Get an access token (client_credentials)',
    method: 'POST',
    path: '/{{brand}}/token',
    headers: certificate,
    auth: 'basic',
    body: { mode: 'urlencoded', fields: { grant_type: 'client_credentials', scope: 'accounts' } },
    test: [...expectStatus(200), ...save({ accessToken: 'answer.access_token' })],
  },
  {
    name: '5. Read the client',
    method: 'GET',
    path: '/{{brand}}/register/{{clientId}}',
    headers: certificate,
    auth: 'bearer',
    test: [...expectStatus(200), 'var answer = pm.response.json();', ...keepNewestToken],
  },
  {
    name: '6. Rotate the client secret',
    method: 'POST',
    path: '/{{brand}}/register/{{clientId}}/client-secret',
    headers: certificate,
    auth: 'bearer',
    test: [...expectStatus(200), ...save({ clientSecret: 'answer.client_secret' }), ...keepNewestToken],
  },
  {
    name: '7. Delete the client',
    method: 'DELETE',
    path: '/{{brand}}/register/{{clientId}}',
    headers: certificate,
    auth: 'bearer',
    test: expectStatus(204),
  },
]

function postmanRequest(request: FolderRequest) {
  const body =
    request.body?.mode === 'urlencoded'
      ? {
          mode: 'urlencoded',
          urlencoded: Object.entries(request.body.fields).map(([key, value]) => ({ key, value, type: 'text' })),
        }
      : request.body
        ? {
            mode: 'raw',
            raw: request.body.raw,
            ...(request.body.json ? { options: { raw: { language: 'json' } } } : {}),
          }
        : undefined
  const headers = {
    ...(request.body?.mode === 'raw' && request.body.json ? { 'Content-Type': 'application/json' } : {}),
    ...request.headers,
  }
  const auth =
    request.auth === 'bearer'
      ? { type: 'bearer', bearer: [{ key: 'token', value: '{{registrationAccessToken}}', type: 'string' }] }
      : request.auth === 'basic'
        ? {
            type: 'basic',
            basic: [
              { key: 'username', value: '{{clientId}}', type: 'string' },
              { key: 'password', value: '{{clientSecret}}', type: 'string' },
            ],
          }
        : { type: 'noauth' }
  return {
    name: request.name,
    event: [{ listen: 'test', script: { type: 'text/javascript', exec: request.test } }],
    request: {
      method: request.method,
      auth,
      header: Object.entries(headers).map(([key, value]) => ({ key, value })),
      ...(body ? { body } : {}),
      url: `{{baseUrl}}${request.path}`,
    },
  }
}

/** The folder, first in the collection: run it (Postman's runner, or newman) from top to bottom. */
export function kitToDeleteFolder() {
  return {
    name: 'Kit to delete',
    description:
      "The quick path on the plain listener, in order: a TPP kit, a signed registration request, the registration, a client_credentials token, read, rotate the secret, delete. Each request's tests save what the next needs (softwareId, certificate, registrationRequest, clientId, clientSecret, registrationAccessToken) as collection variables. Set `brand` to another ob-uk brand to try it there.",
    item: requests.map(postmanRequest),
  }
}

/** Variables the folder reads and writes; `baseUrl` is set to the listener that serves the collection. */
export const folderVariables = [
  'brand',
  'softwareId',
  'certificate',
  'registrationRequest',
  'registrationContentType',
  'clientId',
  'clientSecret',
  'registrationAccessToken',
  'accessToken',
]

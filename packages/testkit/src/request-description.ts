/**
 * How a TPP builds a registration request for one brand: the description `@open-dcr/express`
 * publishes for each brand (`Dcr.registrationRequest`; the sandbox lists it in `GET /brands` as
 * `registration_request`). Declared here too because the testkit does not depend on the middleware;
 * the middleware's tests check that both stay the same.
 */
export interface RegistrationRequestDescription {
  /** `signed-jwt`: a JWS signed with a software key; `json`: JSON client metadata. */
  format: 'signed-jwt' | 'json'
  /** The content type to send. */
  content_type: string
  /** Whether the body carries the directory-signed software statement. */
  software_statement: 'required' | 'optional' | 'absent'
  /** `software-statement`: the SSA's software_id; `certificate`: the QWAC's organizationIdentifier as `iss`. */
  identity: 'software-statement' | 'certificate'
  /** The call must carry a QSEAL HTTP signature. */
  http_signature: boolean
  /** The call must carry the developer-portal ("DCR service") Bearer token. */
  portal_token: boolean
}

/**
 * The request descriptions of the middleware's built-in profiles, deployed as each usually is: for
 * the CLI's `--profile` override, when a bank does not publish its description. The brand's own
 * description, when published, wins.
 */
export const profileRequestDescriptions: Readonly<
  Record<'ob-uk' | 'rfc7591' | 'eidas', RegistrationRequestDescription>
> = {
  'ob-uk': {
    format: 'signed-jwt',
    content_type: 'application/jose',
    software_statement: 'required',
    identity: 'software-statement',
    http_signature: false,
    portal_token: false,
  },
  rfc7591: {
    format: 'json',
    content_type: 'application/json',
    software_statement: 'required',
    identity: 'software-statement',
    http_signature: false,
    portal_token: false,
  },
  eidas: {
    format: 'json',
    content_type: 'application/json',
    software_statement: 'absent',
    identity: 'certificate',
    http_signature: true,
    portal_token: true,
  },
}

const formats = ['signed-jwt', 'json']
const statementRules = ['required', 'optional', 'absent']
const identities = ['software-statement', 'certificate']

/** Checks a description read from the network (e.g. `GET /brands`); throws naming what is wrong. */
export function readRequestDescription(value: unknown): RegistrationRequestDescription {
  const d = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const problems = [
    formats.includes(d.format as string) ? '' : `format must be one of ${formats.join(', ')}`,
    typeof d.content_type === 'string' ? '' : 'content_type must be a string',
    statementRules.includes(d.software_statement as string)
      ? ''
      : 'software_statement must be required, optional or absent',
    identities.includes(d.identity as string) ? '' : `identity must be one of ${identities.join(', ')}`,
    typeof d.http_signature === 'boolean' ? '' : 'http_signature must be a boolean',
    typeof d.portal_token === 'boolean' ? '' : 'portal_token must be a boolean',
  ].filter(Boolean)
  if (problems.length > 0) throw new Error(`registration request description: ${problems.join('; ')}`)
  return d as unknown as RegistrationRequestDescription
}

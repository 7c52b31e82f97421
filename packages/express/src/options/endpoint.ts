import type { Profile } from '../profiles/types.js'
import { fail, url } from './checks.js'
import { optionDefaults } from './defaults.js'

/** Where the registration endpoint is, how its URLs are built, and how much body it reads. */
export interface Endpoint {
  registrationPath: string
  publicBaseUrl: string | undefined
  trustHostHeader: boolean
  bodyLimit: number
}

/** Validates `bodyLimit`, `registrationPath` (default: the profile's), `publicBaseUrl` and `trustHostHeader`. */
export function resolveEndpoint(
  profile: Profile,
  options: {
    bodyLimit?: number | undefined
    registrationPath?: string | undefined
    publicBaseUrl?: string | undefined
    trustHostHeader?: boolean | undefined
  },
): Endpoint {
  const bodyLimit = options.bodyLimit ?? optionDefaults.bodyLimit
  if (!Number.isInteger(bodyLimit) || bodyLimit < optionDefaults.minBodyLimit)
    fail('bodyLimit', `must be a whole number of bytes, at least ${optionDefaults.minBodyLimit}`)
  const registrationPath = options.registrationPath ?? profile.registrationPath
  if (!/^\/[A-Za-z0-9/_-]*$/.test(registrationPath)) fail('registrationPath', 'must be a path such as /register')
  const publicBaseUrl =
    options.publicBaseUrl === undefined ? undefined : url('publicBaseUrl', options.publicBaseUrl).replace(/\/$/, '')
  return {
    registrationPath,
    publicBaseUrl,
    trustHostHeader: options.trustHostHeader ?? optionDefaults.trustHostHeader,
    bodyLimit,
  }
}

import { eidasProfile } from './eidas.js'
import { obUkProfile } from './ob-uk.js'
import { rfc7591Profile } from './rfc7591.js'
import type { Profile, ProfileName } from './types.js'

export {
  type BrandRequestSettings,
  defaultRequestDescription,
  describeRegistrationRequest,
  type RegistrationRequestDescription,
  type RequestFormat,
  type RequestIdentity,
} from './request-description.js'
export type {
  Profile,
  ProfileName,
  ProfileServices,
  RegistrationExtras,
  RegistrationInput,
  SoftwareStatementRule,
} from './types.js'

/**
 * The built-in profiles by name: what each one parses and checks, and what a bank, the sandbox or a
 * TPP tool needs to know about it (request format, SSA rule, management rules, usual deployment).
 */
export const profiles: Readonly<Record<ProfileName, Profile>> = {
  'ob-uk': obUkProfile,
  rfc7591: rfc7591Profile,
  eidas: eidasProfile,
}

/** The built-in profile names, e.g. to validate a configuration file. */
export const profileNames = Object.keys(profiles) as readonly ProfileName[]

/** Whether `name` is a built-in profile (own key only: `toString` is not a profile). */
export const isProfileName = (name: unknown): name is ProfileName =>
  typeof name === 'string' && Object.hasOwn(profiles, name)

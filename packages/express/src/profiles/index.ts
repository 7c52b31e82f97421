import { eidasProfile } from './eidas.js'
import { obUkProfile } from './ob-uk.js'
import { rfc7591Profile } from './rfc7591.js'
import type { Profile, ProfileName } from './types.js'

export type { Profile, ProfileName, RegistrationExtras, RegistrationInput } from './types.js'

/** The built-in profiles by name. */
export const profiles: Readonly<Record<ProfileName, Profile>> = {
  'ob-uk': obUkProfile,
  rfc7591: rfc7591Profile,
  eidas: eidasProfile,
}

import { bad, type Family } from './harness.js'
import { editingClaims, register, registering, seconds } from './requests.js'

const refused = 'invalid_client_metadata'

/** Family 1: the registration request's iat, exp, nbf and jti. */
export const timeClaims: Family = {
  name: 'registration request time claims',
  bank: 'obUk',
  cases: [
    bad(
      'iat 120 s in the future',
      [400, refused, /"iat" is 120 s in the future/],
      registering((s) => ({ iat: seconds(s) + 120, exp: seconds(s) + 300 })),
    ),
    bad(
      'iat just beyond the 30 s tolerance',
      [400, refused, /"iat" is 31 s in the future/],
      registering((s) => ({ iat: seconds(s) + 31 })),
    ),
    bad('iat = 1e20', [400, refused, /"iat" is \d+ s in the future/], registering({ iat: 1e20, exp: 1e20 + 60 })),
    bad(
      'exp before iat',
      [400, refused, /"exp" \(\d+\) must be later than its "iat"/],
      registering((s) => ({ exp: seconds(s) - 5 })),
    ),
    bad(
      'exp equal to iat',
      [400, refused, /must be later than its "iat"/],
      registering((s) => ({ exp: seconds(s) })),
    ),
    bad(
      'exp a day after iat',
      [400, refused, /lifetime \(exp - iat\) is 86400 s; the maximum is 3600 s/],
      registering((s) => ({ exp: seconds(s) + 86400 })),
    ),
    bad(
      'exp one second beyond the lifetime',
      [400, refused, /is 3601 s; the maximum is 3600 s/],
      registering((s) => ({ exp: seconds(s) + 3601 })),
    ),
    bad(
      'a one-hour request at a brand that allows 30 minutes',
      [400, refused, /is 3600 s; the maximum is 1800 s/],
      registering((s) => ({ exp: seconds(s) + 3600 })),
      { options: { requestObjectMaxLifetime: 1800 } },
    ),
    bad(
      'exp = 1e20',
      [400, refused, /lifetime \(exp - iat\) is \d+ s; the maximum is 3600 s/],
      registering({ exp: 1e20 }),
    ),
    bad(
      'exp = 1e400 (Infinity once parsed)',
      [400, refused, /invalid "exp" claim: it must be a number/],
      editingClaims((json) => json.replace(/"exp":\d+/, '"exp":1e400')),
    ),
    bad(
      'exp = -1e400 (-Infinity once parsed)',
      [400, refused, /invalid "exp" claim: it must be a number/],
      editingClaims((json) => json.replace(/"exp":\d+/, '"exp":-1e400')),
    ),
    bad(
      'exp in the past',
      [400, refused, /has expired/],
      registering((s) => ({ iat: seconds(s) - 180, exp: seconds(s) - 120 })),
    ),
    bad('exp negative', [400, refused, /has expired/], registering({ iat: -100, exp: -1 })),
    bad('exp missing', [400, refused, /"exp"/], registering({ exp: undefined })),
    bad('iat missing', [400, refused, /"iat"/], registering({ iat: undefined })),
    bad('exp a word', [400, refused, /"exp"/], registering({ exp: 'tomorrow' })),
    bad(
      'exp a numeric string',
      [400, refused, /"exp"/],
      registering((s) => ({ exp: String(seconds(s) + 300) })),
    ),
    bad('exp null', [400, refused, /"exp"/], registering({ exp: null })),
    bad(
      'exp an array',
      [400, refused, /"exp"/],
      registering((s) => ({ exp: [seconds(s) + 300] })),
    ),
    bad('iat a word', [400, refused, /"iat"/], registering({ iat: 'yesterday' })),
    bad('iat true', [400, refused, /"iat"/], registering({ iat: true })),
    bad('iat an object', [400, refused, /"iat"/], registering({ iat: { toString: 1 } })),
    bad('nbf a word', [400, refused, /"nbf"/], registering({ nbf: 'soon' })),
    bad(
      'nbf in the future',
      [400, refused, /"nbf"/],
      registering((s) => ({ nbf: seconds(s) + 120 })),
    ),
    bad('jti missing', [400, refused, /"jti"/], registering({ jti: undefined })),
    bad('jti empty', [400, refused, /"jti" must be a non-empty string/], registering({ jti: '' })),
    bad('jti a number', [400, refused, /"jti" must be a non-empty string/], registering({ jti: 42 })),
    bad(
      'jti of 257 characters',
      [400, refused, /"jti" must be a non-empty string/],
      registering({ jti: 'j'.repeat(257) }),
    ),
    bad(
      'a replayed jti',
      [400, refused, /jti "replayed-1" has already been used; sign a new request/],
      (s) => register(s, { jti: 'replayed-1' }),
      {
        arrange: async (s) => {
          const first = await register(s, { jti: 'replayed-1' })
          if (first.status !== 201) throw new Error(`the first registration failed: ${first.text}`)
        },
      },
    ),
  ],
}

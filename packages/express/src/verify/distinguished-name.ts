import { DN } from '@ldapjs/dn'
import forge from 'node-forge'
import { CheckError } from '../check-error.js'

/** One attribute of a distinguished name: its type as an OID, and its value unescaped. */
export interface DnAttribute {
  type: string
  value: string
}

/** A distinguished name as RDNs in RFC 4514 order (most specific first), each a set of attributes. */
export type DistinguishedName = DnAttribute[][]

/**
 * RFC 4514 §3 names, the X.520 names certificates use, and the eIDAS ones, lowercased → OID. A Map:
 * attribute names come from the request, and "constructor" must not find Object.prototype's.
 */
const namedTypes = new Map<string, string>(
  Object.entries({
    cn: '2.5.4.3',
    l: '2.5.4.7',
    st: '2.5.4.8',
    o: '2.5.4.10',
    ou: '2.5.4.11',
    c: '2.5.4.6',
    street: '2.5.4.9',
    dc: '0.9.2342.19200300.100.1.25',
    uid: '0.9.2342.19200300.100.1.1',
    sn: '2.5.4.4',
    gn: '2.5.4.42',
    t: '2.5.4.12',
    e: '1.2.840.113549.1.9.1',
    email: '1.2.840.113549.1.9.1',
    serialnumber: '2.5.4.5',
    organizationidentifier: '2.5.4.97',
    orgid: '2.5.4.97',
  }),
)
for (const [name, oid] of Object.entries(forge.pki.oids)) {
  const key = name.toLowerCase()
  if (/^[a-zA-Z]+$/.test(name) && /^\d+(\.\d+)+$/.test(oid) && oid.startsWith('2.5.4.') && !namedTypes.has(key))
    namedTypes.set(key, oid)
}
namedTypes.set('emailaddress', '1.2.840.113549.1.9.1')

/** Short names used when a DN is shown back to a person. */
const shortNames = new Map<string, string>(
  Object.entries({
    '2.5.4.3': 'CN',
    '2.5.4.7': 'L',
    '2.5.4.8': 'ST',
    '2.5.4.10': 'O',
    '2.5.4.11': 'OU',
    '2.5.4.6': 'C',
    '2.5.4.9': 'STREET',
    '0.9.2342.19200300.100.1.25': 'DC',
    '0.9.2342.19200300.100.1.1': 'UID',
    '2.5.4.5': 'serialNumber',
    '2.5.4.97': 'organizationIdentifier',
    '1.2.840.113549.1.9.1': 'emailAddress',
  }),
)

const oidPattern = /^\d+(\.\d+)+$/

/** A distinguished name that cannot be read; DNs are client metadata (`tls_client_auth_subject_dn`). */
const invalidDn = (description: string, cause?: unknown) =>
  new CheckError(
    'ERR_DCR_DISTINGUISHED_NAME_INVALID',
    'client metadata',
    description,
    cause === undefined ? {} : { cause },
  )

/** Longest DN string accepted (OB's schema allows 512 characters for tls_client_auth_subject_dn). */
const maxLength = 1024

/**
 * Refuses what @ldapjs/dn 1.1.0 must not see: its hex-string (`=#04...`) branch loops forever on
 * input such as `CN=# `, which would let one request block the event loop. open-dcr accepts only
 * string values, so any unescaped `#` right after `=` is refused here, before the library runs.
 */
export function refuseUnsafeDn(text: string): void {
  if (text.length > maxLength) {
    throw invalidDn(`the distinguished name is longer than ${maxLength} characters`)
  }
  // An escape stands for one value character: replaced (not removed), `CN=\\,#` keeps its # off the =.
  if (/=\s*#/.test(text.replace(/\\[\s\S]/g, 'x'))) {
    throw invalidDn('hex-encoded (#...) attribute values are not supported; use string values')
  }
}

/** RFC 4514 §2.4: the characters a `\\` may escape besides hex pairs. */
const escapable = new Set(['"', '+', ',', ';', '<', '>', '\\', ' ', '#', '='])
const utf8 = new TextDecoder('utf-8', { fatal: true })
const hexPair = /^[0-9A-Fa-f]{2}$/

/**
 * Rewrites every escape into the one form @ldapjs/dn 1.1.0 reads correctly: ASCII as a single
 * `\XX` pair, anything else as the character itself. The library reads `\+c` as the hex pair
 * "+c" (`O=Smith\+Co` became "Smith\fo"), and a multi-byte escape's continuation bytes at fixed
 * offsets (`CN=\c3,O=x` swallowed the second RDN). An escape that is neither a special character
 * nor a hex pair, or escaped bytes that are not UTF-8, is refused.
 */
function canonicalEscapes(text: string): string {
  let canonical = ''
  let at = 0
  while (at < text.length) {
    const next = text.indexOf('\\', at)
    if (next < 0) return canonical + text.slice(at)
    canonical += text.slice(at, next)
    const bytes: number[] = []
    at = next
    while (text[at] === '\\') {
      const pair = text.slice(at + 1, at + 3)
      const escaped = text[at + 1]
      if (hexPair.test(pair)) {
        bytes.push(Number.parseInt(pair, 16))
        at += 3
      } else if (escaped !== undefined && escapable.has(escaped)) {
        bytes.push(escaped.charCodeAt(0))
        at += 2
      } else {
        throw invalidDn(
          `"${text}" has an invalid escape at position ${at}; RFC 4514 escapes a special character or two hex digits`,
        )
      }
    }
    let decoded: string
    try {
      decoded = utf8.decode(Uint8Array.from(bytes))
    } catch (cause) {
      throw invalidDn(`"${text}" has escaped bytes that are not UTF-8`, cause)
    }
    for (const character of decoded) {
      const code = character.codePointAt(0) ?? 0
      canonical += code < 0x80 ? `\\${code.toString(16).padStart(2, '0')}` : character
    }
  }
  return canonical
}

function typeOid(name: string, text: string): string {
  if (oidPattern.test(name)) return name
  const oid = namedTypes.get(name.toLowerCase())
  if (!oid) throw invalidDn(`"${text}" has an unknown attribute type "${name}"`)
  return oid
}

/**
 * Parses an RFC 4514 string (`CN=abc,OU=org,O=OpenBanking,C=GB`, spaces after commas allowed,
 * escapes and `\2C` hex pairs understood, attribute names case-insensitive or given as OIDs).
 * Anything else is `invalid_client_metadata`. @ldapjs/dn parses it, after {@link refuseUnsafeDn}
 * and with escapes made canonical (see `canonicalEscapes`): it mis-reads other spellings.
 */
export function parseDistinguishedName(text: string): DistinguishedName {
  refuseUnsafeDn(text)
  const canonical = canonicalEscapes(text)
  let parsed: DN
  try {
    parsed = DN.fromString(canonical)
  } catch (cause) {
    throw invalidDn(`"${text}" is not an RFC 4514 distinguished name`, cause)
  }
  const rdns: DistinguishedName = []
  for (let index = 0; index < parsed.length; index++) {
    const rdn = parsed.rdnAt(index)
    const attributes: DnAttribute[] = []
    for (const name of rdn.keys()) {
      const value = rdn.getValue(name)
      if (typeof value !== 'string' || value.length === 0) {
        throw invalidDn(`"${text}" has an empty or binary value for "${name}"`)
      }
      const type = typeOid(name, text)
      // X.501: an RDN holds one value per attribute type. (@ldapjs/dn already keeps only the last of
      // a name spelled twice alike, `CN=a+CN=b`; spelled differently, `CN=a+2.5.4.3=b`, it is seen here.)
      if (attributes.some((attribute) => attribute.type === type)) {
        throw invalidDn(`"${text}" names attribute type ${type} twice in one RDN`)
      }
      attributes.push({ type, value })
    }
    rdns.push(attributes)
  }
  if (rdns.length === 0) throw invalidDn('the distinguished name is empty')
  return rdns
}

/** A certificate's subject (or issuer) as a {@link DistinguishedName}, most specific first. */
export function distinguishedNameOf(name: forge.pki.Certificate['subject']): DistinguishedName {
  return [...name.attributes]
    .reverse()
    .map((attribute) => [{ type: attribute.type ?? '', value: String(attribute.value) }])
}

const key = (attribute: DnAttribute) => `${attribute.type}=${attribute.value}`

/** Flattened attributes: in order, or sorted when order does not matter. */
function flatten(dn: DistinguishedName, anyOrder: boolean): string[] {
  const attributes = dn.flatMap((rdn) => rdn.map(key).sort())
  return anyOrder ? attributes.sort() : attributes
}

/**
 * Whether two DNs name the same subject: attribute types by OID, values exactly. With `anyOrder`,
 * RDN order is ignored (TLS terminators print DNs in either order).
 */
export function sameDistinguishedName(
  a: DistinguishedName,
  b: DistinguishedName,
  options: { anyOrder: boolean },
): boolean {
  const left = flatten(a, options.anyOrder)
  const right = flatten(b, options.anyOrder)
  return left.length === right.length && left.every((item, index) => item === right[index])
}

/** The DN as an RFC 4514 string with short names where they exist, for error descriptions. */
export function formatDistinguishedName(dn: DistinguishedName): string {
  return dn
    .map((rdn) =>
      rdn
        .map(({ type, value }) => {
          const escaped = value
            .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
            .replace(/^[ #]/, (c) => `\\${c}`)
            .replace(/ $/, '\\ ')
          return `${shortNames.get(type) ?? type}=${escaped}`
        })
        .join('+'),
    )
    .join(',')
}

/** The value of the first attribute of `type` (an OID), most specific first. */
export function attributeValue(dn: DistinguishedName, type: string): string | undefined {
  for (const rdn of dn) for (const attribute of rdn) if (attribute.type === type) return attribute.value
  return undefined
}

/** OIDs of the attributes open-dcr reads from certificate subjects. */
export const attributeTypes = {
  commonName: '2.5.4.3',
  organizationalUnit: '2.5.4.11',
  organization: '2.5.4.10',
  organizationIdentifier: '2.5.4.97',
} as const

// The part of @ldapjs/dn (no bundled types) that open-dcr uses.
declare module '@ldapjs/dn' {
  export class RDN {
    keys(): Iterable<string>
    getValue(name: string): unknown
  }
  export class DN {
    static fromString(text: string): DN
    get length(): number
    rdnAt(index: number): RDN
  }
}

import { describe, expect, it } from 'vitest'
import { brandUrl } from '../../src/http-signatures/brand-path.js'

const brands = new Set(['northbank-personal', 'continental-corporate'])
const base = 'http://127.0.0.1:8080'

describe('brandUrl', () => {
  it('keeps a brand endpoint as given, query included', () => {
    expect(brandUrl('/continental-corporate/client/v1/register', base, brands).href).toBe(
      'http://127.0.0.1:8080/continental-corporate/client/v1/register',
    )
    expect(brandUrl('/northbank-personal/authorize?client_id=a%20b', base, brands).href).toBe(
      'http://127.0.0.1:8080/northbank-personal/authorize?client_id=a%20b',
    )
  })

  it.each([
    ['/northbank-personal/../health', /\. or \.\. segments/],
    ['/northbank-personal/%2E%2e/health', /\. or \.\. segments/],
    ['/northbank-personal/%25%32%65%25%32%65/health', /\. or \.\. segments/],
    ['/northbank-personal/a/./b', /\. or \.\. segments/],
    ['/northbank-personal/a%2F..%2Fb', /percent-encoded \//],
    ['/northbank-personal/a%5cb', /percent-encoded \//],
    ['/northbank-personal/%E0%A4%A', /not valid percent-encoding/],
    ['//evil.example/northbank-personal/x', /single \//],
    ['/northbank-personal\\x', /no \\/],
    ['/northbank-personal/x#y', /#fragment/],
    ['/health', /one of this sandbox's brands/],
    ['/northbank-personal', /one of this sandbox's brands/],
    ['/northbank-personal/x?', /normal form: it would be sent as \/northbank-personal\/x$/],
  ])('refuses %s', (path, why) => {
    expect(() => brandUrl(path, base, brands)).toThrow(why)
  })
})

import { describe, expect, it } from 'vitest'
import { tenantClients } from '../../src/client-auth/tenant-clients.js'
import { silentLogger } from '../../src/logger.js'
import { createMemoryClientStore } from '../../src/stores/memory.js'
import type { ClientRecord } from '../../src/stores/types.js'

const record = (clientId: string, tenant: string): ClientRecord => ({
  clientId,
  tenant,
  metadata: { client_id: clientId },
  secrets: [],
  createdAt: 0,
  updatedAt: 0,
  version: 1,
})

describe('tenantClients', () => {
  it('reads the tenant’s own clients and hides every other tenant’s, as if absent', async () => {
    const store = createMemoryClientStore({ logger: silentLogger })
    await store.create(record('mine', 'rat-bank'))
    await store.create(record('theirs', 'northbank'))
    const clients = tenantClients(store, 'rat-bank')
    expect(clients.tenant).toBe('rat-bank')
    expect((await clients.get('mine'))?.clientId).toBe('mine')
    expect(await clients.get('theirs')).toBeUndefined()
    expect(await clients.get('nobody')).toBeUndefined()
    expect((await tenantClients(store, 'northbank').get('theirs'))?.clientId).toBe('theirs')
  })
})

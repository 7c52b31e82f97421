import type { ClientRecord, ClientStore } from '../stores/types.js'

/** The clients of one tenant (brand): a client of another tenant reads as absent. */
export interface TenantClients {
  readonly tenant: string
  /** The client, or undefined when it is not registered, was deleted, or belongs to another tenant. */
  get(clientId: string): Promise<ClientRecord | undefined>
}

/**
 * A read view of `store` limited to `tenant`. Several brands share one store; every lookup by a
 * client id that came from a request goes through this view, so no brand ever acts on another's client.
 *
 * @example
 * const clients = tenantClients(store, 'rat-bank')
 * const client = await clients.get(clientId) // undefined for a northbank client
 */
export function tenantClients(store: Pick<ClientStore, 'get'>, tenant: string): TenantClients {
  return {
    tenant,
    async get(clientId) {
      const record = await store.get(clientId)
      return record && record.tenant === tenant ? record : undefined
    },
  }
}

import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { hashCredential, verifyClientSecret } from '@open-dcr/express'
import { Low } from 'lowdb'
import { PrivateJsonFile, privateDirectory } from './private-files.js'

/** A developer-portal app: what a TPP uses to get "DCR service" tokens at eIDAS brands. */
interface StoredPortalApp {
  clientId: string
  name: string
  secretHash: string
}

/** The sandbox's developer-portal apps, one durable file each under `dataDir/portal-apps`. */
export interface PortalApps {
  create(name: string): Promise<{ client_id: string; client_secret: string; name: string }>
  /** Whether `clientId` and `secret` are a portal app's credentials. */
  authenticate(clientId: string, secret: string): Promise<boolean>
  /** Whether `clientId` names a portal app (configured, or created with the `portal-` prefix). */
  owns(clientId: string): boolean
}

/** A portal app given in the sandbox config file. */
export interface ConfiguredPortalApp {
  client_id: string
  client_secret: string
  name?: string
}

/** Opens the portal app registry. */
export async function openPortalApps(
  dataDir: string,
  configured: readonly ConfiguredPortalApp[] = [],
): Promise<PortalApps> {
  const fromConfig = new Map(configured.map((app) => [app.client_id, hashCredential(app.client_secret)]))
  const root = join(dataDir, 'portal-apps')
  await privateDirectory(root)
  const open = (clientId: string) =>
    new Low<StoredPortalApp | null>(
      new PrivateJsonFile(join(root, `${clientId.replace(/[^A-Za-z0-9-]/g, '')}.json`)),
      null,
    )
  return {
    owns: (clientId) => fromConfig.has(clientId) || /^portal-[0-9a-f-]{36}$/.test(clientId),
    async create(name) {
      const clientId = `portal-${randomUUID()}`
      const clientSecret = randomUUID().replace(/-/g, '')
      const db = open(clientId)
      db.data = { clientId, name, secretHash: hashCredential(clientSecret) }
      await db.write()
      return { client_id: clientId, client_secret: clientSecret, name }
    },
    async authenticate(clientId, secret) {
      const configuredHash = fromConfig.get(clientId)
      if (configuredHash) return verifyClientSecret({ secrets: [{ hash: configuredHash }] }, secret, Date.now())
      if (!/^portal-[0-9a-f-]{36}$/.test(clientId)) return false
      const db = open(clientId)
      await db.read()
      return (
        db.data?.clientId === clientId &&
        verifyClientSecret({ secrets: [{ hash: db.data.secretHash }] }, secret, Date.now())
      )
    },
  }
}

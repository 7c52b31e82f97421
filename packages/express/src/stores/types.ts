/** A stored client secret or token: only its hash; `expiresAt` (epoch ms) is set on one being rotated out. */
export interface StoredSecret {
  hash: string
  expiresAt?: number
}

/** What a store keeps for one registered client. Secrets and tokens only as hashes. */
export interface ClientRecord {
  clientId: string
  /** The brand (or tenant) the client was registered with. */
  tenant: string
  softwareId?: string
  orgId?: string
  /** Exactly what GET returns, minus secrets and request-dependent URLs. */
  metadata: Record<string, unknown>
  /** Current secret first, then older ones inside a rotation grace window. */
  secrets: StoredSecret[]
  /** The current registration access token (RFC 7592); absent when the brand does not manage clients by one. */
  registrationAccessTokenHash?: string
  /** Replaced registration access tokens still inside their grace period (each with `expiresAt`). */
  previousRegistrationAccessTokens?: StoredSecret[]
  /** Epoch milliseconds. */
  createdAt: number
  /** Epoch milliseconds. */
  updatedAt: number
  /** Starts at 1; each successful update adds 1 (compare-and-set). */
  version: number
}

/** Thrown by {@link ClientStore.create} when the client id is taken. */
export class StoreConflictError extends Error {
  override readonly name = 'StoreConflictError'
  constructor(readonly clientId: string) {
    super(`a client with id ${clientId} already exists`)
  }
}

/**
 * Thrown by a store that cannot serve a request for now: connection lost or timed out, disk full.
 * The middleware answers 503 `temporarily_unavailable` with `Retry-After`; no write was half made.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError'
  /** Seconds after which a retry makes sense (the `Retry-After` header). */
  readonly retryAfter: number
  constructor(message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.retryAfter = options.retryAfter ?? 5
  }
}

/** Where registered clients live. Every implementation runs `@open-dcr/store-test-suite`. */
export interface ClientStore {
  /** Stores a new client; durable when the promise resolves. Throws {@link StoreConflictError} if the id exists. */
  create(record: ClientRecord): Promise<void>
  /** The client, or undefined. */
  get(clientId: string): Promise<ClientRecord | undefined>
  /** Replaces the client if its stored version equals `expectedVersion`; false otherwise (or if absent). */
  update(record: ClientRecord, expectedVersion: number): Promise<boolean>
  /** Removes the client; false if it was not there. */
  delete(clientId: string): Promise<boolean>
  /** Releases files, connections and locks. */
  close?(): Promise<void>
}

/** Remembers single-use values (JWT `jti`s) until they expire. */
export interface ReplayStore {
  /** True the first time `key` is claimed before `expiresAt` (epoch ms); false while an earlier claim is live. */
  claim(key: string, expiresAt: number): Promise<boolean>
  close?(): Promise<void>
}

/** A source of the current time in epoch milliseconds; injected so tests control expiry. */
export type Clock = () => number

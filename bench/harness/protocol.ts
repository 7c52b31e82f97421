/**
 * What the load generator (parent) and a server child say to each other over IPC. Everything is
 * plain data: each server is built inside its own process so its CPU and event loop are its own.
 */
import type { TrustSpec } from './fixture.js'

/** Path of oidc-provider's registration endpoint (its `routes.registration`). */
export const peerRegistrationPath = '/reg'

/** Where a server keeps clients and replay claims; each run gets a fresh one. */
export type StoreSpec =
  | { kind: 'memory' }
  | { kind: 'lowdb'; dir: string; fsync: boolean }
  | { kind: 'postgres'; connectionString: string }

/**
 * How open-dcr lets TPPs manage clients: RFC 7592 registration access tokens (the default; every
 * GET then also writes a new token), or OB client-credentials access tokens (a GET is a pure read).
 */
export type ManagementSpec = 'registration-access-token' | 'access-token'

/** Which server a child runs. */
export type ServerSpec =
  | { kind: 'open-dcr'; store: StoreSpec; management: ManagementSpec; trust: TrustSpec }
  | { kind: 'oidc-provider'; trust: TrustSpec }

/** Parent → child. */
export type Command =
  | { type: 'start'; spec: ServerSpec }
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'stop' }

/** Server-side measurements over one load window. */
export interface WindowStats {
  /** CPU time of the whole server process (all threads), ms. */
  cpuMs: number
  /** Event-loop delay over the window, ms. */
  loopDelayMaxMs: number
  loopDelayP99Ms: number
  /** Registrations the server stored during the window (its own count, to cross-check the 201s). */
  registered: number
}

/** Child → parent. */
export type Report =
  | { type: 'listening'; port: number }
  | ({ type: 'window' } & WindowStats)
  | { type: 'failed'; message: string }

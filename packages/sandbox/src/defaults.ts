/** What the `open-dcr-sandbox` CLI listens on when `PORT`, `MTLS_PORT` and `HOST` are not set. */
export const sandboxDefaults = {
  /** Plain HTTP listener. */
  port: 8080,
  /** HTTPS listener (mutual TLS). */
  mtlsPort: 8443,
  host: '127.0.0.1',
  dataDir: '.sandbox-data',
} as const

/** The logging surface open-dcr needs; a pino logger fits as it is. */
export interface Logger {
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
  info(obj: object, msg: string): void
}

/** Writes one JSON line per entry to stderr; used when no logger is given. */
export const consoleLogger: Logger = {
  info: (obj, msg) => console.error(JSON.stringify({ level: 'info', msg, ...obj })),
  warn: (obj, msg) => console.error(JSON.stringify({ level: 'warn', msg, ...obj })),
  error: (obj, msg) => console.error(JSON.stringify({ level: 'error', msg, ...obj })),
}

/** Discards everything: for tests. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }

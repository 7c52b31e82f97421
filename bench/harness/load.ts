/**
 * The load generator: autocannon against one server child, each request taken from a source so
 * every registration carries its own pre-signed body.
 */
import { randomUUID } from 'node:crypto'
import autocannon from 'autocannon'

/** One HTTP request to send. */
export interface BenchRequest {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
}

/** Where requests come from: a finite pool (each body sent once) or an endless generator. */
export interface RequestSource {
  next(): BenchRequest
  /** Requests still available; undefined for an endless source. */
  remaining(): number | undefined
}

/** Sends `bodies` in order, each once, as `method path` with `contentType`. */
export function poolSource(path: string, contentType: string, bodies: readonly string[]): RequestSource {
  let cursor = 0
  const headers = { 'content-type': contentType }
  return {
    next() {
      const body = bodies[cursor++]
      if (body === undefined) throw new Error('request pool exhausted')
      return { method: 'POST', path, headers, body }
    },
    remaining: () => bodies.length - cursor,
  }
}

/**
 * Endless JSON registration bodies for a server that takes plain RFC 7591 metadata plus the
 * software statement (oidc-provider): the signed requests' metadata, and a unique `jti` member so
 * every body differs, as the signed ones do. Nothing to sign, so no pool to run dry.
 */
export function jsonSource(path: string, metadata: Record<string, unknown>): RequestSource {
  const template = JSON.stringify({ ...metadata, jti: '{jti}' })
  const [head, tail] = template.split('"{jti}"') as [string, string]
  const headers = { 'content-type': 'application/json' }
  return {
    next: () => ({ method: 'POST', path, headers, body: `${head}"${randomUUID()}"${tail}` }),
    remaining: () => undefined,
  }
}

/** What one load run measured, from the load generator's side. */
export interface LoadResult {
  /** Wall-clock seconds from the first request to the end. */
  seconds: number
  /** 2xx responses. */
  ok: number
  /** Responses that were not 2xx. */
  non2xx: number
  /** Connection errors and timeouts. */
  errors: number
  /** 2xx responses per second. */
  rate: number
  /** Latency of all responses, ms. */
  latency: { p50: number; p99: number; max: number }
  /** The source ran dry before the duration was over (the run was shorter than asked). */
  exhausted: boolean
  /** Count per HTTP status. */
  statusCodes: Record<string, number>
}

/** Options of {@link runLoad}. */
export interface LoadOptions {
  origin: string
  connections: number
  /** Seconds; the run also ends when a finite source is used up. */
  duration: number
  source: RequestSource
  /** Called for every response: its status, when it arrived (performance.now()) and its latency in ms. */
  onResponse?: (status: number, at: number, latencyMs: number) => void
}

/** Runs autocannon for `duration` seconds (or until the source is used up) and summarises it. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { source, connections } = options
  const available = source.remaining()
  if (available !== undefined && available < connections * 2) {
    throw new Error(`only ${available} requests left in the pool; raise BENCH_RATE_CEILING`)
  }
  let stopTimer: NodeJS.Timeout | undefined
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.origin,
        connections,
        // A finite source caps the request count exactly; the timer below ends the run on time.
        ...(available === undefined ? { duration: options.duration } : { amount: available }),
        timeout: 30,
        requests: [{ setupRequest: (request) => ({ ...request, ...source.next() }) }],
      },
      (err, done) => (err ? reject(err) : resolve(done)),
    )
    if (available !== undefined) stopTimer = setTimeout(() => instance.stop(), options.duration * 1000)
    const onResponse = options.onResponse
    if (onResponse) {
      instance.on('response', (_client, statusCode, _bytes, latency) =>
        onResponse(statusCode, performance.now(), latency),
      )
    }
  })
  clearTimeout(stopTimer)
  const ok = result['2xx']
  const seconds = result.duration
  return {
    seconds,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    rate: ok / seconds,
    latency: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    exhausted: available !== undefined && result.requests.total >= available - connections,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, (stats as { count: number }).count]),
    ),
  }
}

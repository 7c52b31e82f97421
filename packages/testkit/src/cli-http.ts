import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'

/** The PEM material a TPP presents on the mutual-TLS listener. */
export interface TlsIdentity {
  ca: string
  cert: string
  key: string
}

/** A response as the CLI prints it. */
export interface CliResponse {
  status: number
  body: unknown
}

/** One HTTP(S) call; on https the kit's certificate is presented and the sandbox CA trusted. */
export function send(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string; tls?: TlsIdentity },
): Promise<CliResponse> {
  const target = new URL(url)
  const secure = target.protocol === 'https:'
  const request = secure ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: init.method,
        headers: {
          ...init.headers,
          ...(init.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(init.body)) }),
        },
        ...(secure && init.tls ? { ca: init.tls.ca, cert: init.tls.cert, key: init.tls.key } : {}),
        agent: false,
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
        })
        res.on('end', () => {
          let body: unknown = text
          try {
            body = text ? JSON.parse(text) : null
          } catch {
            body = text
          }
          resolve({ status: res.statusCode ?? 0, body })
        })
      },
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

import express, { type RequestHandler } from 'express'
import { DcrError } from '../errors.js'
import { keepRawBody } from '../raw-body.js'

/** The JSON body parser of the JSON profiles (rfc7591, eidas), keeping the raw bytes for `Digest`. */
export const parseJsonBody = (limit: number): RequestHandler =>
  express.json({ type: 'application/json', limit, strict: true, verify: keepRawBody })

/** The parsed body as client metadata, or `invalid_client_metadata`. */
export function jsonMetadata(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DcrError('invalid_client_metadata', 'request body must be a JSON object of client metadata')
  }
  return body as Record<string, unknown>
}

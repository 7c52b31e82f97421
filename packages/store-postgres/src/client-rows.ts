import { type ClientRecord, type ClientStore, StoreConflictError } from '@open-dcr/express'
import { decodeJson, encodeJson, encodeText } from './postgres-text.js'
import type { RunStatement } from './statement-runner.js'

const text = (value: string | undefined) => (value === undefined ? null : encodeText(value))

/** The row's columns for `record`, in the order the statements below number them ($1 … $8). */
const columns = (record: ClientRecord) => [
  encodeText(record.clientId),
  text(record.tenant),
  text(record.softwareId),
  text(record.orgId),
  record.version,
  record.createdAt,
  record.updatedAt,
  JSON.stringify(encodeJson(record)),
]

/**
 * Clients as rows of `<schema>.clients`: create is an insert that does nothing on a taken id,
 * update a compare-and-set on the version column, each one statement.
 */
export function clientRows(run: RunStatement, s: string): Omit<ClientStore, 'close'> {
  const insert = `
    INSERT INTO ${s}.clients (client_id, tenant, software_id, org_id, version, created_at, updated_at, record)
    VALUES ($1, $2, $3, $4, $5, to_timestamp($6::double precision / 1000), to_timestamp($7::double precision / 1000), $8)
    ON CONFLICT (client_id) DO NOTHING`
  const select = `SELECT record FROM ${s}.clients WHERE client_id = $1`
  const update = `
    UPDATE ${s}.clients
       SET tenant = $2, software_id = $3, org_id = $4, version = $5,
           created_at = to_timestamp($6::double precision / 1000),
           updated_at = to_timestamp($7::double precision / 1000), record = $8
     WHERE client_id = $1 AND version = $9`
  const remove = `DELETE FROM ${s}.clients WHERE client_id = $1`

  return {
    async create(record) {
      const result = await run(insert, columns(record))
      if (result.rowCount !== 1) throw new StoreConflictError(record.clientId)
    },
    async get(clientId) {
      const { rows } = await run<{ record: unknown }>(select, [encodeText(clientId)])
      const row = rows[0]
      return row ? decodeJson<ClientRecord>(row.record) : undefined
    },
    async update(record, expectedVersion) {
      const result = await run(update, [...columns(record), expectedVersion])
      return result.rowCount === 1
    },
    async delete(clientId) {
      const result = await run(remove, [encodeText(clientId)])
      return (result.rowCount ?? 0) > 0
    },
  }
}

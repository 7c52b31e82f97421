import type { Pool, QueryConfig, QueryResult, QueryResultRow } from 'pg'
import { storeError } from './store-errors.js'

/** Runs one SQL statement: one round trip, bounded in time, failures mapped by {@link storeError}. */
export type RunStatement = <R extends QueryResultRow>(text: string, values: unknown[]) => Promise<QueryResult<R>>

/**
 * Every store operation is a single statement on a pooled connection (its own implicit
 * transaction), so a failure at any point leaves either the whole change or none of it.
 */
export function statementRunner(pool: Pool, options: { queryTimeout: number; retryAfter: number }): RunStatement {
  return async <R extends QueryResultRow>(text: string, values: unknown[]) => {
    try {
      // pg reads query_timeout per query too (its types omit it): this bounds a statement even on a
      // bank's own pool, whose settings the store does not own.
      const query: QueryConfig & { query_timeout: number } = { text, values, query_timeout: options.queryTimeout }
      return await pool.query<R>(query)
    } catch (err) {
      throw storeError(err, options.retryAfter)
    }
  }
}

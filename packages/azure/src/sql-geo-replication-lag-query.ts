import { attempt, FailoverError, type FailoverErrorKind, redact } from '@failover/core';
import type { AzureSqlLagReaderV1, AzureSqlLagReading, AzureSqlLagTarget } from './sql-lag-reader.js';

/** One query `geoReplicationLagQuery` asks the user's SQL function to run. */
export interface AzureSqlQueryRequest {
  /** Where to run it: in `target.database`, on the primary server `target.server`. */
  target: AzureSqlLagTarget;
  /** T-SQL with named parameters (`@database`). */
  sql: string;
  /** The values of the named parameters (bind them; never splice them into the text). */
  parameters: { database: string };
  abortSignal?: AbortSignal;
  /**
   * When the caller needs the answer by (epoch ms, on the adapter's clock): size the driver's
   * connect and request timeouts from it, so a dark primary fails the read in time.
   */
  deadlineAt?: number;
}

/**
 * The user's own SQL access (`mssql`, `tedious`...): runs `request.sql` with its parameters
 * in the target database and resolves to the rows as plain objects keyed by column name.
 * It may throw; the reader turns that into a `FailoverError`.
 */
export type AzureSqlQueryFunction = (request: AzureSqlQueryRequest) => Promise<ReadonlyArray<object>>;

/**
 * The DMV that carries the lag (Azure SQL Database and Managed Instance): one row per link
 * of the current database, lag and last replication reported on the primary only.
 */
export const geoReplicationLagSql = [
  'SELECT partner_server, partner_database, last_replication, replication_lag_sec,',
  '       replication_state_desc, role_desc',
  'FROM sys.dm_geo_replication_link_status',
  'WHERE partner_database = @database',
].join('\n');

const provider = 'azure.sql';
const operation = 'observeReplicationLag';

/**
 * A lag reader over `sys.dm_geo_replication_link_status`, run through the user's own SQL
 * function (no SQL driver is a dependency of this package). Connect it to the database on
 * its primary, e.g. through the failover group's read-write listener
 * (`<group>.database.windows.net`), which follows the primary; the view is empty in `master`.
 * The login needs `VIEW DATABASE STATE`. `replication_lag_sec` NULL is unknown lag, never 0.
 *
 * @example
 * ```ts
 * import sql from 'mssql';
 * const pools = new Map<string, Promise<sql.ConnectionPool>>();
 * const lagReader = geoReplicationLagQuery(async ({ target, sql: text, parameters }) => {
 *   const key = `${target.server}/${target.database}`;
 *   if (!pools.has(key)) pools.set(key, sql.connect(myConfigFor(target.server, target.database)));
 *   const pool = await pools.get(key)!;
 *   return (await pool.request().input('database', sql.NVarChar, parameters.database).query(text)).recordset;
 * });
 * const db = azure.databaseFailover({ lagReader });
 * ```
 */
export function geoReplicationLagQuery(query: AzureSqlQueryFunction): AzureSqlLagReaderV1 {
  return {
    specificationVersion: 'v1',
    read(target, options) {
      return attempt(
        async () => {
          if (options?.abortSignal?.aborted) {
            throw new FailoverError({
              kind: 'cancelled',
              message: 'The lag read was aborted.',
              provider,
              operation,
            });
          }
          const rows = await query({
            target,
            sql: geoReplicationLagSql,
            parameters: { database: target.database },
            ...(options?.abortSignal && { abortSignal: options.abortSignal }),
            ...(options?.deadlineAt !== undefined && { deadlineAt: options.deadlineAt }),
          });
          if (!Array.isArray(rows))
            throw badRows(target, 'the query function did not resolve to an array of rows');
          return rows.map((row) => toReading(row as Readonly<Record<string, unknown>>, target));
        },
        { provider, operation },
        (thrown) => queryFailure(thrown, target),
      );
    },
  };
}

/** One DMV row as a reading; a value of the wrong type is an error, a NULL is unknown. */
function toReading(row: Readonly<Record<string, unknown>>, target: AzureSqlLagTarget): AzureSqlLagReading {
  if (typeof row !== 'object' || row === null) throw badRows(target, 'a row is not an object');
  const column = (name: string) => row[name] ?? row[name.toUpperCase()];
  const partnerServer = column('partner_server');
  if (typeof partnerServer !== 'string' || partnerServer === '') {
    throw badRows(target, 'a row has no partner_server');
  }
  const partnerDatabase = column('partner_database');
  const state = column('replication_state_desc');
  const role = column('role_desc');
  // Lag and last replication are reported on the primary only: on a secondary's row they mean nothing.
  const onPrimary = typeof role !== 'string' || role.toUpperCase() === 'PRIMARY';
  const seconds = onPrimary
    ? numberOrNull(column('replication_lag_sec'), 'replication_lag_sec', target)
    : null;
  return {
    partnerServer,
    ...(typeof partnerDatabase === 'string' && { partnerDatabase }),
    lagMs: seconds === null ? null : seconds * 1000,
    lastReplicatedAt: onPrimary ? timeOrNull(column('last_replication'), target) : null,
    ...(typeof state === 'string' && { replicationState: state }),
  };
}

function numberOrNull(value: unknown, name: string, target: AzureSqlLagTarget): number | null {
  if (value === null || value === undefined) return null;
  const number =
    typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    throw badRows(target, `${name} is ${String(value)}, not a number of seconds`);
  }
  return number;
}

/** `datetimeoffset` comes back as a Date (mssql, tedious) or as text from other clients. */
function timeOrNull(value: unknown, target: AzureSqlLagTarget): number | null {
  if (value === null || value === undefined) return null;
  const at =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(at)) throw badRows(target, `last_replication is ${String(value)}, not a time`);
  return at;
}

function badRows(target: AzureSqlLagTarget, why: string): FailoverError {
  return new FailoverError({
    kind: 'unexpected',
    retryable: false,
    message: `The geo-replication lag of ${target.server}/${target.database} could not be read: ${why}.`,
    provider,
    operation,
  });
}

/**
 * What the user's SQL function threw, as a FailoverError: a refused login or permission is
 * `unauthorized`, a bad query `unexpected`, anything else (a connection refused, reset or
 * timed out: the primary's region may be dark) a retryable `unavailable`. The driver's
 * message is redacted, and the error itself is not kept as the cause (it may carry the
 * connection's configuration).
 */
function queryFailure(thrown: unknown, target: AzureSqlLagTarget): FailoverError {
  if (FailoverError.isInstance(thrown)) return thrown;
  const error = thrown as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const text = typeof error?.message === 'string' ? error.message : String(thrown);
  const kind: FailoverErrorKind =
    error?.name === 'AbortError'
      ? 'cancelled'
      : code === 'ELOGIN' || /permission|denied/i.test(text)
        ? 'unauthorized'
        : code === 'EREQUEST'
          ? 'unexpected'
          : 'unavailable';
  return new FailoverError({
    kind,
    message: redact(
      `The geo-replication lag of ${target.server}/${target.database} could not be read${code ? ` (${code})` : ''}: ${text}`,
    ),
    provider,
    operation,
  });
}

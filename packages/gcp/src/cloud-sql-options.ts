/**
 * Cloud SQL options of a database step, passed as
 * `providerOptions: { 'gcp.sql': { ... } }` on `DatabaseDesiredState`.
 *
 * - `strategy: 'region'` (default): move the primary to `desired.region`.
 *   `planned` switches over to the primary's DR replica (`instances.switchover`,
 *   no data loss); `forced` promotes a replica there (`instances.promoteReplica`,
 *   with `failover=true` when it is the DR replica, so the old primary becomes
 *   its replica; without, the replica becomes an independent primary).
 * - `strategy: 'ha-failover'`: fail a REGIONAL (high-availability) primary over
 *   to its standby zone (`instances.failover`) within `desired.region`. `zone`
 *   names the zone the primary must serve from, so the step is idempotent.
 */
export interface CloudSqlStepOptions {
  strategy?: 'region' | 'ha-failover';
  /** With `ha-failover`: the zone the primary must end up in (its current secondary zone). */
  zone?: string;
  /** With a planned switchover: how long the DR replica may take to catch up, in seconds (Cloud SQL default 600). */
  dbTimeoutSeconds?: number;
}

/** The parsed options, or a message saying what is wrong with them. */
export function parseCloudSqlOptions(value: unknown): CloudSqlStepOptions | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) return "providerOptions['gcp.sql'] must be an object.";
  const raw = value as Record<string, unknown>;
  const options: CloudSqlStepOptions = {};
  if (raw.strategy !== undefined) {
    if (raw.strategy !== 'region' && raw.strategy !== 'ha-failover')
      return `providerOptions['gcp.sql'].strategy must be 'region' or 'ha-failover' (got ${JSON.stringify(raw.strategy)}).`;
    options.strategy = raw.strategy;
  }
  if (raw.zone !== undefined) {
    if (typeof raw.zone !== 'string' || !/^[a-z]+-[a-z]+\d+-[a-z]$/.test(raw.zone))
      return `providerOptions['gcp.sql'].zone must be a zone such as us-central1-b (got ${JSON.stringify(raw.zone)}).`;
    options.zone = raw.zone;
  }
  if (raw.dbTimeoutSeconds !== undefined) {
    if (
      typeof raw.dbTimeoutSeconds !== 'number' ||
      !(raw.dbTimeoutSeconds > 0) ||
      raw.dbTimeoutSeconds > 86_400
    )
      return "providerOptions['gcp.sql'].dbTimeoutSeconds must be between 1 and 86400.";
    options.dbTimeoutSeconds = raw.dbTimeoutSeconds;
  }
  if (options.strategy === 'ha-failover' && options.zone === undefined)
    return "providerOptions['gcp.sql'].zone is required with strategy 'ha-failover': it names the zone the primary must serve from.";
  return options;
}

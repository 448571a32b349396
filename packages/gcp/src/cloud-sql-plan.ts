import {
  type DatabaseDesiredState,
  databaseMatches,
  err,
  FailoverError,
  ok,
  type Result,
} from '@failover/core';
import type { CloudSqlStepOptions } from './cloud-sql-options.js';
import { type CloudSqlState, drReplicaOf, type SqlInstance } from './cloud-sql-topology.js';

const provider = 'gcp.sql';

/** The one call that brings a Cloud SQL database to a desired state, or none. */
export type CloudSqlAction =
  | { action: 'none' }
  | { action: 'switchover'; target: string; region: string; zone?: string }
  | { action: 'promoteReplica'; target: string; region: string; zone?: string; failover: boolean }
  | { action: 'failover'; target: string; region: string; zone: string };

/**
 * Decides, from what was read, which call `ensureWriter` makes. Pure, so the
 * pre-check and the run refuse exactly the same cases. It refuses only on what the
 * service did say: a field the service may omit (`replicationCluster`,
 * `secondaryGceZone`, `settings.availabilityType`) never makes it refuse; the call
 * is then sent and the service's own answer decides.
 */
export function planCloudSqlWriter(
  state: CloudSqlState,
  desired: DatabaseDesiredState,
  options: CloudSqlStepOptions,
): Result<CloudSqlAction, FailoverError> {
  const { primary, replicas } = state;
  if (options.zone !== undefined && desired.zone !== undefined && options.zone !== desired.zone)
    return err(
      invalid(
        `The step names zone ${desired.zone} but providerOptions['gcp.sql'].zone is ${options.zone}.`,
        'zone',
      ),
    );
  const zone = options.zone ?? desired.zone;
  const want: DatabaseDesiredState = { ...desired, ...(zone !== undefined && { zone }) };
  if (databaseMatches(state.topology, want)) return ok({ action: 'none' });

  const staysOnPrimary = desired.memberId === undefined || desired.memberId === primary.name;
  const haFailover =
    options.strategy === 'ha-failover' ||
    (zone !== undefined && primary.region === desired.region && staysOnPrimary);
  if (haFailover) return planHaFailover(primary, desired.region, zone!);

  const inRegion = replicas.filter(
    (replica) =>
      replica.region === desired.region &&
      (desired.memberId === undefined || replica.name === desired.memberId) &&
      (zone === undefined || !replica.gceZone || replica.gceZone === zone),
  );
  const available = inRegion.filter((replica) => replica.state === 'RUNNABLE');
  const where = `${desired.region}${desired.memberId ? ` named ${desired.memberId}` : ''}${zone ? ` in zone ${zone}` : ''}`;
  if (available.length === 0)
    return err(
      precondition(
        desired.mode === 'planned' ? 'instances.switchover' : 'instances.promoteReplica',
        inRegion.length === 0
          ? `${primary.name} has no replica in ${where}.`
          : `No replica of ${primary.name} in ${where} is RUNNABLE (${inRegion.map((r) => `${r.name}: ${r.state}`).join(', ')}).`,
      ),
    );
  const drName = drReplicaOf(primary, replicas);
  const dr = available.find((replica) => replica.name === drName);
  const zoneOf = zone !== undefined ? { zone } : {};

  if (desired.mode === 'planned') {
    if (primary.state !== 'RUNNABLE')
      return err(
        precondition(
          'instances.switchover',
          `A planned switchover needs the primary ${primary.name} to be up (it is ${primary.state ?? 'in an unknown state'}); use mode forced.`,
        ),
      );
    if (drName !== undefined && !dr)
      return err(
        precondition(
          'instances.switchover',
          `A planned switchover goes to the primary's DR replica, and ${primary.name} designates ${drName}, which is not a RUNNABLE replica in ${where}. Use mode forced to promote another replica.`,
        ),
      );
    // The service did not say which replica is the DR one: with one candidate, ask
    // the service to switch over to it and let its answer decide.
    const target = dr ?? (available.length === 1 ? available[0] : undefined);
    if (!target)
      return err(
        precondition(
          'instances.switchover',
          `${primary.name} has ${available.length} RUNNABLE replicas in ${desired.region} and Cloud SQL did not say which is its DR replica (no replicationCluster in its GET); name one with memberId.`,
        ),
      );
    return ok({ action: 'switchover', target: target.name!, region: desired.region, ...zoneOf });
  }

  const target = dr ?? available[0]!;
  return ok({
    action: 'promoteReplica',
    target: target.name!,
    region: desired.region,
    failover: target === dr,
    ...zoneOf,
  });
}

/** HA failover within the primary's region, to `zone`. */
function planHaFailover(
  primary: SqlInstance,
  region: string,
  zone: string | undefined,
): Result<CloudSqlAction, FailoverError> {
  const operation = 'instances.failover';
  if (zone === undefined)
    return err(invalid('An HA failover needs the zone the primary must serve from.', 'zone'));
  if (primary.region !== region)
    return err(
      invalid(
        `HA failover stays in the primary's region (${primary.region}); ${region} was asked for. Use strategy 'region' to move regions.`,
        'region',
      ),
    );
  if (primary.gceZone === zone) return ok({ action: 'none' });
  // Only a value the service did send refuses: an omitted availabilityType or
  // secondaryGceZone (Google chose the standby zone) goes to the service.
  const availability = primary.settings?.availabilityType;
  if (availability && availability !== 'REGIONAL')
    return err(
      precondition(operation, `${primary.name} is not highly available (availabilityType ${availability}).`),
    );
  if (primary.secondaryGceZone && primary.secondaryGceZone !== zone)
    return err(
      precondition(
        operation,
        `${primary.name} serves from ${primary.gceZone} with its standby in ${primary.secondaryGceZone}, not ${zone}.`,
      ),
    );
  if (primary.state !== 'RUNNABLE')
    return err(precondition(operation, `${primary.name} is ${primary.state}, not RUNNABLE.`));
  return ok({ action: 'failover', target: primary.name!, region, zone });
}

const invalid = (message: string, path: string) =>
  new FailoverError({ kind: 'invalid-input', message, provider, operation: 'ensureWriter', path });

const precondition = (operation: string, message: string) =>
  new FailoverError({ kind: 'precondition-failed', message, provider, operation });

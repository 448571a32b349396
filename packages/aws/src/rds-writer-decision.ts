import type { DatabaseDesiredState, DatabaseMember, DatabaseTopology } from '@failover/core';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import { check } from './aws-validate.js';
import { parseRdsArn } from './rds-status.js';

/** What `ensureWriter` of an RDS instance must do to reach a desired state, decided from the topology alone. */
export type RdsWriterDecision =
  | { action: 'none' }
  /** RebootDBInstance with ForceFailover, so the standby in `zone` becomes the primary. */
  | { action: 'multi-az-failover'; zone: string }
  /** A reboot of the source is already in flight: wait on it rather than send another. */
  | { action: 'wait-multi-az'; zone: string }
  | { action: 'promote'; replica: DatabaseMember }
  /** The named replica is not listed by its source: it may have been promoted already. */
  | { action: 'find-promoted'; memberId: string };

const zonePattern = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;

/** A Multi-AZ member id: `<instance>@<availability zone>`. */
export const azMemberId = (instance: string, zone: string): string => `${instance}@${zone}`;

/** The zone a member id names: `<source>@<zone>`, or a bare availability zone. */
export function zoneOfMemberId(sourceId: string, memberId: string | undefined): string | undefined {
  if (memberId === undefined) return undefined;
  if (memberId.startsWith(`${sourceId}@`)) return memberId.slice(sourceId.length + 1);
  return zonePattern.test(memberId) ? memberId : undefined;
}

/**
 * Compares the whole desired state (region, member, zone) with the topology of
 * an RDS source instance, and says what to do, or throws the error `ensureWriter`
 * returns. Pure, so the pre-check and `ensureWriter` cannot disagree.
 */
export function decideRdsWriter(
  sourceId: string,
  sourceRegion: string,
  topology: DatabaseTopology,
  desired: DatabaseDesiredState,
  context: AwsErrorContext,
): RdsWriterDecision {
  const { memberId } = desired;
  const memberZone = zoneOfMemberId(sourceId, memberId);
  check(
    desired.zone === undefined || memberZone === undefined || desired.zone === memberZone,
    context,
    `memberId names zone ${memberZone}, zone says ${desired.zone}.`,
    'zone',
  );
  const zone = desired.zone ?? memberZone;
  const namesSource = memberId === undefined || memberId === sourceId || memberZone !== undefined;
  const sourceMembers = topology.members.filter(
    (member) => member.id === sourceId || member.id.startsWith(`${sourceId}@`),
  );
  const primary = sourceMembers.find((member) => member.role === 'writer');

  if (namesSource && desired.region === sourceRegion) {
    if (zone === undefined || primary?.zone === zone) return { action: 'none' };
    const standby = sourceMembers.find((member) => member.role === 'reader');
    if (!standby) {
      throw awsFailure(
        'precondition-failed',
        context,
        `${sourceId} is not Multi-AZ: it runs in ${primary?.zone ?? 'one zone'} only and cannot move to ${zone}.`,
      );
    }
    if (standby.zone !== zone) {
      throw awsFailure(
        'precondition-failed',
        context,
        `${sourceId} runs in ${primary?.zone} with its standby in ${standby.zone}, not in ${zone}.`,
      );
    }
    if (topology.failoverInProgress) return { action: 'wait-multi-az', zone };
    if (primary?.status !== 'available') {
      throw awsFailure(
        'precondition-failed',
        context,
        `${sourceId} is ${primary?.rawStatus ?? primary?.status ?? 'missing'}, not available.`,
      );
    }
    return { action: 'multi-az-failover', zone };
  }
  check(
    memberZone === undefined,
    context,
    `${sourceId} runs in ${sourceRegion}; its zone ${memberZone} is not in ${desired.region}.`,
    'region',
  );

  const matches = (id: string) =>
    memberId === undefined || id === memberId || parseRdsArn(id)?.id === memberId;
  const candidates = topology.members.filter(
    (member) =>
      member.role === 'reader' &&
      member.region === desired.region &&
      !member.id.includes('@') &&
      matches(member.id),
  );
  if (candidates.length === 0) {
    if (memberId !== undefined) return { action: 'find-promoted', memberId };
    throw awsFailure('precondition-failed', context, `${sourceId} has no read replica in ${desired.region}.`);
  }
  check(
    candidates.length === 1,
    context,
    `${sourceId} has several read replicas in ${desired.region}; name one as memberId.`,
    'memberId',
  );
  const replica = candidates[0]!;
  if (desired.zone !== undefined && replica.zone !== desired.zone) {
    throw awsFailure(
      'precondition-failed',
      context,
      `Read replica ${replica.id} runs in ${replica.zone ?? 'an unknown zone'}; a promotion keeps it there, not in ${desired.zone}.`,
    );
  }
  if (desired.mode !== 'forced') {
    throw awsFailure(
      'precondition-failed',
      context,
      `Promoting read replica ${replica.id} can lose writes not yet replicated; it needs mode 'forced'.`,
    );
  }
  if (replica.status === 'modifying') {
    // Perhaps a promotion already under way; observe again rather than send a second one.
    throw awsFailure(
      'conflict',
      context,
      `Read replica ${replica.id} is ${replica.rawStatus ?? 'modifying'}; wait for it to finish.`,
      { retryable: true, retryAfterMs: 30_000 },
    );
  }
  if (replica.status !== 'available') {
    throw awsFailure(
      'precondition-failed',
      context,
      `Read replica ${replica.id} is ${replica.rawStatus ?? replica.status}, not available.`,
    );
  }
  return { action: 'promote', replica };
}

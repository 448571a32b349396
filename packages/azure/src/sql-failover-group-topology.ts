import type { FailoverGroup } from '@azure/arm-sql';
import type { DatabaseMember, DatabaseTopology } from '@failover/core';
import { regionKey } from './azure-resource-id.js';

/** A member server of a failover group, with what it takes to call it. */
export interface SqlMember extends DatabaseMember {
  /** Resource group and name of the server (its id is the ARM resource id). */
  resourceGroup: string;
  server: string;
}

const serverIdPattern = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Sql\/servers\/([^/]+)/i;

function memberOf(
  id: string,
  location: string | undefined,
  role: string | undefined,
  ownState: string | undefined,
  combinedState: string | undefined,
): SqlMember {
  const match = serverIdPattern.exec(id);
  const writer = role === 'Primary';
  const server = match?.[2] ?? id.split('/').at(-1) ?? id;
  return {
    id,
    // A plan may name the server instead of its ARM id: core matches either (isMemberNamed).
    ...(server !== id && { aliases: [server] }),
    resourceGroup: match?.[1] ?? '',
    server,
    region: regionKey(location ?? ''),
    role: writer ? 'writer' : 'reader',
    status: writer ? 'available' : readerStatus(combinedState),
    ...(ownState !== undefined && { rawStatus: ownState }),
  };
}

/** The server id of a member, for looking up the state its own copy reports. */
export function serverAddress(id: string): { resourceGroup: string; server: string } | undefined {
  const match = serverIdPattern.exec(id);
  return match ? { resourceGroup: match[1]!, server: match[2]! } : undefined;
}

/** The replication-link state of a secondary, normalised: only a caught-up one takes a planned failover. */
function readerStatus(state: string | undefined): DatabaseMember['status'] {
  switch ((state ?? '').toUpperCase()) {
    case 'CATCH_UP':
      return 'available';
    case 'PENDING':
    case 'SEEDING':
      return 'modifying';
    case 'SUSPENDED':
      return 'unavailable';
    default:
      return 'unknown';
  }
}

/** How much a replication state holds a planned failover back: the worst one read wins. */
function severity(state: string | undefined): number {
  switch ((state ?? '').toUpperCase()) {
    case 'SUSPENDED':
      return 3;
    case 'PENDING':
    case 'SEEDING':
      return 2;
    case 'CATCH_UP':
      return 1;
    default:
      return 0;
  }
}

/**
 * A failover group as a topology: the server it was read from and its partner
 * servers, each with its region (ARM's `westus` form) and its role (Primary is
 * the writer). `replicationState` is per server (after a forced failover the new
 * primary reads SUSPENDED while its partner reads CATCH_UP), so each member's
 * `rawStatus` is the state its own copy of the group reports, where it was read
 * (`partnerStates`, by server id), and the readers' status comes from the worst
 * state read: a planned failover is judged the same whichever server the ref names.
 * ARM reports no lag.
 */
export function toTopology(
  id: string,
  group: FailoverGroup,
  partnerStates: ReadonlyMap<string, string | undefined> = new Map(),
): { topology: DatabaseTopology; members: SqlMember[] } {
  const selfId = (group.id ?? '').replace(/\/failoverGroups\/[^/]+$/i, '');
  const ownState = present(group.replicationState) ? group.replicationState : undefined;
  const stateOf = (serverId: string) => partnerStates.get(serverId.toLowerCase()) ?? undefined;
  const states = [ownState, ...(group.partnerServers ?? []).map((partner) => stateOf(partner.id))];
  const combined = states.reduce<string | undefined>(
    (worst, state) => (severity(state) > severity(worst) ? state : worst),
    undefined,
  );
  const members = [
    memberOf(selfId, group.location, group.replicationRole, ownState, combined),
    ...(group.partnerServers ?? []).map((partner) =>
      memberOf(partner.id, partner.location, partner.replicationRole, stateOf(partner.id), combined),
    ),
  ];
  return {
    topology: {
      id,
      members: members.map(({ resourceGroup: _group, server: _server, ...member }) => member),
      // ARM shows no in-flight failover on the group; the handle's wait knows about its own.
      failoverInProgress: false,
      ...(combined !== undefined && { rawStatus: combined }),
    },
    members,
  };
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value !== '';
}

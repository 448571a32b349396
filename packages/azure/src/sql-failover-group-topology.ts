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
  state: string | undefined,
): SqlMember {
  const match = serverIdPattern.exec(id);
  const writer = role === 'Primary';
  return {
    id,
    resourceGroup: match?.[1] ?? '',
    server: match?.[2] ?? id.split('/').at(-1) ?? id,
    region: regionKey(location ?? ''),
    role: writer ? 'writer' : 'reader',
    status: writer ? 'available' : readerStatus(state),
    ...(state !== undefined && { rawStatus: state }),
  };
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

/**
 * A failover group as a topology: the server it was read from and its partner
 * servers, each with its region (ARM's `westus` form), its role (Primary is the
 * writer) and, for readers, the replication state. ARM reports no lag.
 */
export function toTopology(
  id: string,
  group: FailoverGroup,
): { topology: DatabaseTopology; members: SqlMember[] } {
  const selfId = (group.id ?? '').replace(/\/failoverGroups\/[^/]+$/i, '');
  const state = group.replicationState;
  const members = [
    memberOf(selfId, group.location, group.replicationRole, state),
    ...(group.partnerServers ?? []).map((partner) =>
      memberOf(partner.id, partner.location, partner.replicationRole, state),
    ),
  ];
  return {
    topology: {
      id,
      members: members.map(({ resourceGroup: _group, server: _server, ...member }) => member),
      // ARM shows no in-flight failover on the group; the handle's wait knows about its own.
      failoverInProgress: false,
      ...(state !== undefined && { rawStatus: state }),
    },
    members,
  };
}

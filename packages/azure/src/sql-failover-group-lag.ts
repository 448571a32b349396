import type { FailoverGroup } from '@azure/arm-sql';
import {
  type CallOptions,
  type DatabaseTopology,
  FailoverError,
  type ReplicationLagObservation,
  type ReplicationLagSample,
} from '@failover/core';
import type { SqlMember } from './sql-failover-group-topology.js';
import type { AzureSqlLagReaderV1, AzureSqlLagReading } from './sql-lag-reader.js';

const provider = 'azure.sql';
const operation = 'observeReplicationLag';

/**
 * Without a lag reader the lag is unknown: ARM's failover groups and replication links
 * report a state word (`CATCH_UP`, `SUSPENDED`), not a figure.
 */
export function noLagReader(group: string): FailoverError {
  return new FailoverError({
    kind: 'unsupported',
    retryable: false,
    message: `The replication lag of failover group ${group} is unknown: no lag reader configured (ARM reports only a replication state; pass lagReader, e.g. geoReplicationLagQuery, to databaseFailover).`,
    provider,
    operation,
  });
}

/**
 * The lag of each partner server of a failover group, read database by database on the
 * primary. The group fails over as one, so a partner's lag is the worst of its databases,
 * as of the oldest `last_replication` among them; a partner for which any database reports
 * no figure (NULL, or no link at all) gets no sample: unknown, never zero. A database the
 * reader cannot read fails the whole observation.
 */
export async function observeGroupLag(input: {
  reader: AzureSqlLagReaderV1;
  refId: string;
  group: FailoverGroup;
  groupName: string;
  members: readonly SqlMember[];
  now: number;
  call?: CallOptions;
}): Promise<ReplicationLagObservation> {
  const { reader, members, now } = input;
  const primary = members.find((member) => member.role === 'writer');
  if (!primary) {
    throw new FailoverError({
      kind: 'precondition-failed',
      message: `Failover group ${input.groupName} reports no primary server: there is nowhere to read its replication lag.`,
      provider,
      operation,
    });
  }
  const databases = (input.group.databases ?? []).map((id) => id.split('/').at(-1)!).filter(Boolean);
  const readings = await Promise.all(
    databases.map(async (database) => {
      const read = await reader.read(
        {
          resourceGroup: primary.resourceGroup,
          server: primary.server,
          region: primary.region,
          database,
          failoverGroup: input.groupName,
        },
        input.call,
      );
      if (read.isErr()) throw read.error;
      return read.value;
    }),
  );

  const samples: ReplicationLagSample[] = [];
  for (const partner of members) {
    if (partner.role !== 'reader' || databases.length === 0) continue;
    const links = readings.map((links) => linkTo(links, partner.server));
    if (links.some((link) => link?.lagMs === null || link === undefined)) continue;
    const known = links as Array<AzureSqlLagReading & { lagMs: number }>;
    samples.push({
      memberId: partner.id,
      ...(partner.server !== partner.id && { aliases: [partner.server] }),
      region: partner.region,
      lagMs: Math.max(...known.map((link) => link.lagMs)),
      sampledAt: Math.min(...known.map((link) => link.lastReplicatedAt ?? now)),
    });
  }
  return { specificationVersion: 'v1', databaseId: input.refId, observedAt: now, samples };
}

/** The topology with each reported partner's lag set (`describe` with a reader). */
export function withLag(
  topology: DatabaseTopology,
  observation: ReplicationLagObservation,
): DatabaseTopology {
  const lag = new Map(observation.samples.map((sample) => [sample.memberId, sample.lagMs]));
  return {
    ...topology,
    members: topology.members.map((member) => {
      const lagMs = lag.get(member.id);
      return lagMs === undefined ? member : { ...member, replicationLagMs: lagMs };
    }),
  };
}

function linkTo(links: readonly AzureSqlLagReading[], server: string): AzureSqlLagReading | undefined {
  return links.find((link) => link.partnerServer.toLowerCase() === server.toLowerCase());
}

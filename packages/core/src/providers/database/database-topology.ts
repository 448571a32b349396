/** Which database a step talks about: a global cluster, a failover group, an instance. */
export interface DatabaseRef {
  id: string;
}

/** Whether a member takes writes. */
export type DatabaseRole = 'writer' | 'reader';

/** One member of a replicated database: a regional cluster, a partner server, a replica. */
export interface DatabaseMember {
  /** The cloud's id for the member (cluster ARN, server name, instance name). */
  id: string;
  /**
   * Other names the cloud knows the member by (an Azure SQL server's name beside its
   * ARM id): a plan's `memberId` may give any of them (see `isMemberNamed`).
   */
  aliases?: string[];
  region: string;
  /** The availability zone the member runs in, when the service says. */
  zone?: string;
  role: DatabaseRole;
  /** Normalised health: only `available` members can take the writer role. */
  status: 'available' | 'modifying' | 'unavailable' | 'unknown';
  /** The cloud's own status word, for humans. */
  rawStatus?: string;
  /** Replication lag behind the writer, when the cloud exposes it. */
  replicationLagMs?: number;
}

/** A replicated database as observed. */
export interface DatabaseTopology {
  id: string;
  members: DatabaseMember[];
  /** True while the cloud is moving the writer (a switchover or failover in progress). */
  failoverInProgress: boolean;
  /** The cloud's own status word for the whole database. */
  rawStatus?: string;
}

/** The region of the current writer, if there is exactly one. */
export function writerRegion(topology: DatabaseTopology): string | undefined {
  const writers = topology.members.filter((member) => member.role === 'writer');
  return writers.length === 1 ? writers[0]!.region : undefined;
}

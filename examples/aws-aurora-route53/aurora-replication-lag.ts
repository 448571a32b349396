// Aurora replication lag for the pre-flight check. The RDS API does not report it (it is
// the CloudWatch metric `AuroraGlobalDBReplicationLag` of each secondary cluster), so
// `aws.databaseFailover()` declares `replicationLag: false` and a `check.replicationLag`
// step on it fails validation. `withReplicationLag` adds the figure to `describe()` from
// a lag source you give it: CloudWatch in production (see the README), and in the drill a
// stand-in metric endpoint mounted on the emulator, which has no CloudWatch.
import {
  attempt,
  type CallOptions,
  type DatabaseFailoverV1,
  type DatabaseMember,
  FailoverError,
  type FailoverResult,
  okAsync,
  ResultAsync,
} from '@failover/core';
import type { EmulatorSeed, EmulatorService } from '@failover/emulator';

/** Lag of one reader member (a regional cluster ARN) behind the writer, in ms; undefined when unknown. */
export type ReplicationLagSource = (
  member: DatabaseMember,
  options?: CallOptions,
) => FailoverResult<number | undefined>;

/**
 * The database provider with each reader's `replicationLagMs` read from `lagOf`, and the
 * `replicationLag` capability declared. Everything else is the provider's own.
 */
export function withReplicationLag(db: DatabaseFailoverV1, lagOf: ReplicationLagSource): DatabaseFailoverV1 {
  return {
    specificationVersion: db.specificationVersion,
    kind: db.kind,
    provider: db.provider,
    capabilities: { ...db.capabilities, replicationLag: true },
    describe: (ref, options) =>
      db
        .describe(ref, options)
        .andThen((topology) =>
          ResultAsync.combine(
            topology.members.map((member) =>
              member.role !== 'reader'
                ? okAsync(member)
                : lagOf(member, options).map((lag) =>
                    lag === undefined ? member : { ...member, replicationLagMs: lag },
                  ),
            ),
          ).map((members) => ({ ...topology, members })),
        ),
    ensureWriter: (ref, desired, options) => db.ensureWriter(ref, desired, options),
    waitForWriter: (handle, options) => db.waitForWriter(handle, options),
  };
}

const mount = '/example/aurora-replication-lag';
const operation = 'GetReplicationLag';

/**
 * A stand-in for the CloudWatch metric, to mount on the emulator (`emulatorServices`):
 * `GET /example/aurora-replication-lag/clusters/<id>` answers `{ lagMs }` with the `lagMs`
 * the seed gives that member of a global cluster.
 */
export function emulatedReplicationLag(seed: EmulatorSeed): () => EmulatorService {
  const lags = new Map<string, number>();
  for (const global of seed.aws?.rds?.globalClusters ?? []) {
    for (const member of global.members) if (!member.writer) lags.set(member.id, member.lagMs ?? 0);
  }
  return () => ({
    id: 'example.aurora-replication-lag',
    cloud: 'aws',
    mount,
    route(request) {
      const match = /^\/clusters\/([^/]+)$/.exec(request.path);
      if (request.method !== 'GET' || !match) return { status: 404, body: { message: 'Unknown route.' } };
      const cluster = decodeURIComponent(match[1]!);
      return {
        operation,
        mutating: false,
        handle: () => {
          const lagMs = lags.get(cluster);
          return lagMs === undefined
            ? { status: 404, body: { message: `No replication lag metric for ${cluster}.` } }
            : { status: 200, body: { cluster, lagMs } };
        },
      };
    },
    errorResponse: (kind, detail) => ({
      status: kind === 'throttled' ? 429 : kind === 'malformed' ? 400 : 500,
      body: { message: detail.message },
      ...(detail.retryAfterSeconds !== undefined && {
        headers: { 'retry-after': String(detail.retryAfterSeconds) },
      }),
    }),
  });
}

/** Reads the stand-in metric from the emulator at `url`; counted as an API call of `aws.aurora`. */
export function emulatorReplicationLag(url: string): ReplicationLagSource {
  return (member, options) =>
    attempt(
      async () => {
        // Members are regional cluster ARNs: arn:aws:rds:<region>:<account>:cluster:<id>.
        const cluster = member.id.split(':').pop() ?? member.id;
        options?.onApiCall?.({ provider: 'aws.aurora', operation, mutating: false });
        const response = await fetch(`${url}${mount}/clusters/${encodeURIComponent(cluster)}`, {
          ...(options?.abortSignal && { signal: options.abortSignal }),
        });
        if (response.status === 404) {
          await response.body?.cancel();
          return undefined;
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw new FailoverError({
            kind: response.status === 429 ? 'throttled' : 'unavailable',
            message: `Reading the replication lag of ${cluster} answered HTTP ${response.status}.`,
            provider: 'aws.aurora',
            operation,
          });
        }
        return ((await response.json()) as { lagMs: number }).lagMs;
      },
      { provider: 'aws.aurora', operation },
    );
}

import type { CallOptions, DatabaseTopology, FailoverResult, ReplicationLagSample } from '@failover/core';
import { gcpCall } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';

/** Cloud SQL's replica lag metric: seconds behind the primary, per `cloudsql_database` (`database_id` = `project:instance`). */
export const replicaLagMetricType = 'cloudsql.googleapis.com/database/replication/replica_lag';

/**
 * Each replica's newest `replica_lag` point within `windowMs` (Cloud Monitoring
 * `projects.timeSeries.list`, raw points), in milliseconds with the point's end
 * time. A replica without a point is left out (unknown, not zero); the writer
 * never has one. A monitoring call that fails is an error.
 */
export function readCloudSqlReplicaLag(
  clients: GcpClients,
  project: string,
  topology: DatabaseTopology,
  windowMs: number,
  call: CallOptions | undefined,
): FailoverResult<ReplicationLagSample[]> {
  const replicas = new Map(
    topology.members
      .filter((member) => member.role === 'reader')
      .map((member) => [`${project}:${member.id}`, member]),
  );
  return gcpCall('gcp.sql', 'projects.timeSeries.list', false, call, async (signal) => {
    const monitoring = await clients.monitoring();
    const now = clients.time.now();
    const newest = new Map<string, { at: number; value: number }>();
    let pageToken: string | undefined;
    do {
      const page = await monitoring.listTimeSeries(
        project,
        {
          filter: `metric.type = "${replicaLagMetricType}" AND resource.type = "cloudsql_database"`,
          startTime: new Date(now - windowMs).toISOString(),
          endTime: new Date(now).toISOString(),
          ...(pageToken && { pageToken }),
        },
        signal ? { signal } : {},
      );
      for (const series of page.timeSeries ?? []) {
        const databaseId = series.resource?.labels?.database_id;
        if (!databaseId || !replicas.has(databaseId)) continue;
        for (const point of series.points ?? []) {
          const raw = point.value?.doubleValue ?? Number(point.value?.int64Value);
          const at = Date.parse(point.interval?.endTime ?? '');
          if (!Number.isFinite(raw) || Number.isNaN(at)) continue;
          const best = newest.get(databaseId);
          if (!best || at > best.at) newest.set(databaseId, { at, value: raw });
        }
      }
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
    return [...newest].map(([databaseId, point]) => {
      const member = replicas.get(databaseId)!;
      return { memberId: member.id, region: member.region, lagMs: point.value * 1000, sampledAt: point.at };
    });
  });
}

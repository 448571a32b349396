import { afterEach, describe, expect, it } from 'vitest';
import { createGcp } from '../src/index.js';
import { type GcpWorld, project, runbookSeed, startGcpWorld } from './gcp-emulator-world.js';

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const minute = 60_000;
const replicaLag = 'cloudsql.googleapis.com/database/replication/replica_lag';

/** The runbook's Cloud SQL, with Cloud Monitoring's replica_lag of its DR replica: 3 s, then 12 s from minute 4. */
async function lagWorld() {
  world = await startGcpWorld({
    seed: {
      ...runbookSeed(),
      monitoring: {
        series: [
          {
            project,
            metricType: replicaLag,
            resourceType: 'cloudsql_database',
            resourceLabels: {
              project_id: project,
              database_id: `${project}:aegis-db-dr`,
              region: 'us-central1',
            },
            unit: 's',
            points: [
              { afterMs: 0, value: 3 },
              { afterMs: 4 * minute, value: 12 },
            ],
          },
        ],
      },
    },
  });
  const { emulator, settings } = world;
  const rootUrls = { ...settings.rootUrls, monitoring: emulator.endpoint('gcp.monitoring') };
  return { emulator, db: createGcp({ ...settings, rootUrls }).databaseFailover() };
}

describe('Cloud SQL observeReplicationLag (Cloud Monitoring replica_lag)', () => {
  it('reports the newest point of each replica in ms, with the point’s time; a replica without a series is left out', async () => {
    const { emulator, db } = await lagWorld();
    emulator.clock.advance(5 * minute);
    const observation = (await db.observeReplicationLag!({ id: 'aegis-db' }))._unsafeUnwrap();
    expect(observation.specificationVersion).toBe('v1');
    expect(observation.samples).toHaveLength(1);
    const [sample] = observation.samples;
    expect(sample).toMatchObject({ memberId: 'aegis-db-dr', region: 'us-central1', lagMs: 12_000 });
    expect(sample!.sampledAt).toBeLessThanOrEqual(observation.observedAt);
    expect(observation.observedAt - sample!.sampledAt).toBeLessThanOrEqual(minute);
    // The read replica in us-west1 has no series: unknown, never zero.
    expect(observation.samples.some((s) => s.memberId === 'aegis-db-read')).toBe(false);
    // One Admin API read and one Monitoring query.
    expect(emulator.requests.count({ service: 'gcp.monitoring' })).toBe(1);
  });
});

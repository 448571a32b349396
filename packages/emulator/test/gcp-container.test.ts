import { container, type container_v1 } from '@googleapis/container';
import { OAuth2Client } from 'google-auth-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

// The real @googleapis/container client against the emulator: node pools,
// setSize and setAutoscaling through their operations, and the Compute Engine
// instance groups where a pool's per-zone size really lives.

const project = 'aegis-prod';
const region = 'us-central1';
const poolName = `projects/${project}/locations/${region}/clusters/aegis-dr/nodePools/primary-pool`;
let emulator: Emulator;
let gke: container_v1.Container;
let auth: OAuth2Client;
let opts: { rootUrl: string };

beforeEach(async () => {
  emulator = await startEmulator({
    timeScale: 0,
    seed: {
      gcp: {
        projects: [
          {
            id: project,
            number: '123456789012',
            gkeClusters: [
              {
                name: 'aegis-dr',
                location: region,
                nodePools: [
                  { name: 'primary-pool', nodeCountPerZone: 1 },
                  {
                    name: 'auto-pool',
                    nodeCountPerZone: 2,
                    autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 5 },
                  },
                ],
              },
              { name: 'zonal', location: 'us-east1-b', nodePools: [{ name: 'p', nodeCountPerZone: 3 }] },
            ],
          },
        ],
      },
    },
  });
  auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'test-token', expiry_date: Date.now() + 3_600_000 });
  gke = container({ version: 'v1', auth });
  // A per-call rootUrl keeps the emulator's /gcp/container mount (a client-level one loses it).
  opts = { rootUrl: `${emulator.endpoint('gcp.container')}/` };
});
afterEach(() => emulator.stop());

const pools = () => gke.projects.locations.clusters.nodePools;
const getPool = async (name = poolName) => (await pools().get({ name }, opts)).data;

/** Each zone's instance group manager, read the way an adapter reads it (URL rewritten to the emulator). */
async function groups(pool: container_v1.Schema$NodePool) {
  const computeRoot = emulator.endpoint('gcp.compute');
  return Promise.all(
    (pool.instanceGroupUrls ?? []).map(async (url) => {
      const path = new URL(url).pathname;
      const { data } = await auth.request<{ targetSize: number; currentActions: Record<string, number> }>({
        url: `${computeRoot}${path}`,
      });
      return data;
    }),
  );
}

async function untilDone(name: string) {
  const seen: string[] = [];
  for (;;) {
    const { data } = await gke.projects.locations.operations.get({ name }, opts);
    if (seen.at(-1) !== data.status) seen.push(data.status!);
    if (data.status === 'DONE') return { op: data, seen };
    await emulator.clock.sleep(10_000);
  }
}

describe('GKE v1 emulator', () => {
  it('gets a regional node pool: three zones, instance groups per zone, no size field', async () => {
    const pool = await getPool();
    expect(pool).toMatchObject({
      name: 'primary-pool',
      status: 'RUNNING',
      initialNodeCount: 1,
      locations: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
    });
    expect(pool.autoscaling).toBeUndefined();
    expect(pool.instanceGroupUrls).toHaveLength(3);
    expect((await groups(pool)).map((g) => g.targetSize)).toEqual([1, 1, 1]);
    const cluster = await gke.projects.locations.clusters.get(
      { name: `projects/${project}/locations/${region}/clusters/aegis-dr` },
      opts,
    );
    expect(cluster.data.currentNodeCount).toBe(9);
  });

  it('setSize is per zone and runs as an operation: PENDING, RECONCILING, then the nodes are up', async () => {
    const started = await pools().setSize({ name: poolName, requestBody: { nodeCount: 2 } }, opts);
    // GKE answers a resize PENDING, then it runs.
    expect(started.data).toMatchObject({
      operationType: 'SET_NODE_POOL_SIZE',
      status: 'PENDING',
      zone: region,
    });
    expect(started.data.selfLink).toContain('/projects/123456789012/zones/us-central1/operations/');
    const during = await getPool();
    expect(during.status).toBe('RECONCILING');
    expect(
      (await groups(during)).map((g) => [g.targetSize, g.currentActions.none, g.currentActions.creating]),
    ).toEqual([
      [2, 1, 1],
      [2, 1, 1],
      [2, 1, 1],
    ]);
    const { op, seen } = await untilDone(
      `projects/${project}/locations/${region}/operations/${started.data.name}`,
    );
    expect(seen.at(-1)).toBe('DONE');
    expect(seen[0]).toBe('PENDING');
    expect(op.endTime).toBeDefined();
    const after = await getPool();
    expect(after.status).toBe('RUNNING');
    expect(after.initialNodeCount).toBe(1);
    expect((await groups(after)).map((g) => g.currentActions.none)).toEqual([2, 2, 2]);
  });

  it('one operation at a time per cluster: a second one is 400 FAILED_PRECONDITION', async () => {
    await pools().setSize({ name: poolName, requestBody: { nodeCount: 2 } }, opts);
    const error = await pools()
      .setAutoscaling(
        { name: poolName, requestBody: { autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 3 } } },
        opts,
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 400,
      response: { data: { error: { status: 'FAILED_PRECONDITION' } } },
    });
  });

  it('setAutoscaling sets bounds, and the modelled autoscaler brings each zone within them', async () => {
    const started = await pools().setAutoscaling(
      { name: poolName, requestBody: { autoscaling: { enabled: true, minNodeCount: 3, maxNodeCount: 6 } } },
      opts,
    );
    expect(started.data.operationType).toBe('UPDATE_CLUSTER');
    await untilDone(`projects/${project}/locations/${region}/operations/${started.data.name}`);
    const pool = await getPool();
    expect(pool.autoscaling).toMatchObject({
      enabled: true,
      minNodeCount: 3,
      maxNodeCount: 6,
      locationPolicy: 'BALANCED',
    });
    expect((await groups(pool)).map((g) => g.targetSize)).toEqual([3, 3, 3]);

    const off = await pools().setAutoscaling(
      { name: poolName, requestBody: { autoscaling: { enabled: false } } },
      opts,
    );
    await untilDone(`projects/${project}/locations/${region}/operations/${off.data.name}`);
    expect((await getPool()).autoscaling).toBeUndefined();
  });

  it('rejects bad sizes and bounds with 400 and unknown pools with 404', async () => {
    const cases: Array<Promise<unknown>> = [
      pools().setSize({ name: poolName, requestBody: { nodeCount: -1 } }, opts),
      pools().setSize({ name: poolName, requestBody: { nodeCount: 1.5 } }, opts),
      pools().setAutoscaling(
        { name: poolName, requestBody: { autoscaling: { enabled: true, minNodeCount: 5, maxNodeCount: 2 } } },
        opts,
      ),
      pools().setAutoscaling(
        {
          name: poolName,
          requestBody: {
            autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 2, totalMaxNodeCount: 9 },
          },
        },
        opts,
      ),
      pools().setAutoscaling({ name: poolName, requestBody: {} }, opts),
    ];
    for (const pending of cases)
      expect(await pending.catch((e: unknown) => e)).toMatchObject({ status: 400 });
    const missing = await getPool(poolName.replace('primary-pool', 'nope')).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 404, response: { data: { error: { status: 'NOT_FOUND' } } } });
  });

  it('a zonal cluster has one zone; a stuck resize never finishes', async () => {
    const zonal = `projects/${project}/locations/us-east1-b/clusters/zonal/nodePools/p`;
    expect((await getPool(zonal)).locations).toEqual(['us-east1-b']);
    emulator.faults.add({
      fault: 'stuck',
      operation: 'projects.locations.clusters.nodePools.setSize',
      times: 1,
    });
    const started = await pools().setSize({ name: zonal, requestBody: { nodeCount: 5 } }, opts);
    await emulator.clock.sleep(24 * 3_600_000);
    const { data } = await gke.projects.locations.operations.get(
      { name: `projects/${project}/locations/us-east1-b/operations/${started.data.name}` },
      opts,
    );
    expect(data.status).toBe('RUNNING');
    expect((await getPool(zonal)).status).toBe('RECONCILING');
  });
});

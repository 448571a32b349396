// The world the ADR scenarios are watched in, on @failover/emulator: eu-west-1 serves
// api.shop.example (Route 53 failover records, PRIMARY there), the Aurora Global Database
// writes there and replicates to us-west-2. The services' health endpoints are an extra
// emulator service in eu-west-1, so a region blackout darkens them with the rest of the
// region and the emulator's deterministic clock is held while they answer.
//
// eu-west-1, not us-east-1: Route 53's control plane is homed in us-east-1 and goes dark with
// it, so a plan switching Route 53 records cannot run through a us-east-1 blackout (that
// case needs ARC routing controls, outside these scenarios).
import { type AwsProvider, createAws } from '@failover/aws';
import {
  approval,
  compilePlan,
  createDatabaseWriterSource,
  createHttpProbeSource,
  database,
  definePlan,
  dns,
  type FailoverPlan,
  fetchProbeRunner,
  type HealthCheckSpec,
  type HttpProbeRunner,
  type SignalSourceV1,
} from '@failover/core';
import {
  createDeterministicClock,
  type Emulator,
  type EmulatorSeed,
  type EmulatorService,
  type HealthCheckTimelineStep,
  type ServiceContext,
  startEmulator,
} from '@failover/emulator';

export const primary = 'eu-west-1';
export const standby = 'us-west-2';
export const zone = 'shop.example.';
export const recordName = 'api.shop.example.';
export const globalId = 'shop-global';
export const edgeHealthCheckId = 'hc-edge-eu-west-1';
export const inventoryAlarm = 'inventory-eu-west-1-errors';
export const vantagePoints = ['probe-us-east-1', 'probe-ap-northeast-1', 'probe-sa-east-1'] as const;

/** Whether `service` answers healthy to `vantage` at emulator time `sinceStartMs`. */
export type ServiceHealth = (service: string, vantage: string, sinceStartMs: number) => boolean;

/**
 * The shop's health endpoints, `GET /shop/<region>/<service>/health`, as an emulator
 * service: healthy or not as the scenario's script says for the asking vantage point
 * (`x-probe-vantage`). Its region is the path's, so a blackout of that region answers 503.
 */
export function shopHealthService(
  startedAt: () => number,
  health: ServiceHealth,
): (context: ServiceContext) => EmulatorService {
  return (context) => ({
    id: 'shop.health',
    cloud: 'aws',
    mount: '/shop',
    route(request) {
      const [, region, service, leaf] = request.path.split('/');
      if (!region || !service || leaf !== 'health') return { status: 404, body: { error: 'not found' } };
      return {
        operation: 'GetHealth',
        mutating: false,
        region,
        handle: () => {
          const vantage = String(request.headers['x-probe-vantage'] ?? 'unknown');
          const up = health(service, vantage, context.clock.now() - startedAt());
          return { status: up ? 200 : 503, body: { status: up ? 'pass' : 'fail', service } };
        },
      };
    },
    errorResponse: (_kind, detail) => ({ status: 503, body: { error: detail.message } }),
  });
}

/** Scripted CloudWatch curves of a scenario, from the emulator's start. */
export interface MetricCurves {
  /** 5xx share of requests (0..1), one point per minute. */
  errorRate?: Array<{ afterMs: number; value: number | null }>;
  /** p95 latency in ms. */
  latencyMs?: Array<{ afterMs: number; value: number | null }>;
  /** The inventory alarm's state timeline. */
  inventoryAlarm?: Array<{ afterMs: number; value: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' }>;
  /** What Route 53's checkers see at the edge over time (default: healthy throughout). */
  edgeHealthCheck?: HealthCheckTimelineStep[];
}

const loadBalancer = { LoadBalancer: 'app/shop-eu/50dc6c495c0c9188' };

/** Route 53 records and health check, the Aurora Global Database, and the scenario's CloudWatch script. */
export function worldSeed(curves: MetricCurves): EmulatorSeed {
  return {
    aws: {
      route53: {
        hostedZones: [
          {
            id: 'Z0SHOPEXAMPLE01',
            name: zone,
            recordSets: [
              {
                name: recordName,
                type: 'A',
                ttl: 60,
                values: ['192.0.2.20'],
                setIdentifier: primary,
                failover: 'PRIMARY',
              },
              {
                name: recordName,
                type: 'A',
                ttl: 60,
                values: ['198.51.100.20'],
                setIdentifier: standby,
                failover: 'SECONDARY',
              },
            ],
          },
        ],
        healthChecks: [
          {
            id: edgeHealthCheckId,
            type: 'HTTPS',
            fqdn: 'edge.eu-west-1.shop.example',
            requestInterval: 10,
            // The edge runs in eu-west-1: with that region dark every checker times out.
            targetRegion: primary,
            ...(curves.edgeHealthCheck && { timeline: curves.edgeHealthCheck }),
          },
        ],
      },
      rds: {
        globalClusters: [
          {
            id: globalId,
            engine: 'aurora-postgresql',
            engineVersion: '15.4',
            members: [
              { id: 'shop-primary', region: primary, writer: true, instances: ['shop-primary-1'] },
              { id: 'shop-secondary', region: standby, lagMs: 40, instances: ['shop-secondary-1'] },
            ],
          },
        ],
      },
      cloudwatch: {
        metrics: [
          {
            region: primary,
            namespace: 'Shop/Api',
            metricName: 'ErrorRate',
            dimensions: loadBalancer,
            points: curves.errorRate ?? [{ afterMs: 0, value: 0.004 }],
          },
          {
            region: primary,
            namespace: 'Shop/Api',
            metricName: 'LatencyP95',
            dimensions: loadBalancer,
            unit: 'Milliseconds',
            points: curves.latencyMs ?? [{ afterMs: 0, value: 180 }],
          },
        ],
        alarms: [
          {
            region: primary,
            name: inventoryAlarm,
            namespace: 'Shop/Inventory',
            metricName: 'Errors',
            threshold: 5,
            states: curves.inventoryAlarm ?? [{ afterMs: 0, value: 'OK' }],
          },
        ],
      },
    },
  };
}

export const metricDimensions = loadBalancer;

/**
 * ADR 039's health checks (the same table core's watch-scenarios test runs), each bound here
 * to a real source by its signal id: probes, the Aurora writer, a CloudWatch alarm and
 * metrics; the scenarios add, informational, the replication lag and a Route 53 health
 * check's status (its checkers follow `edgeHealthCheck` and the blackout of eu-west-1; see
 * watch-adr-route53-health.test.ts).
 */
export { adrChecks } from '../packages/core/src/decision/test-support/adr-health-checks.js';

const route53 = { provider: 'route53', record: { zone, name: recordName, type: 'A' } } as const;

/** The bound plan: Route 53 to us-west-2 on its own; the Aurora promotion behind an approval. */
export const shopPlan: FailoverPlan = definePlan({
  id: 'shop-hybrid-failover',
  name: 'Shop: traffic on its own, promotion on approval',
  sourceRegion: primary,
  targetRegion: standby,
})
  // Making us-west-2 PRIMARY takes the traffic away from eu-west-1: the fence a forced promotion needs.
  .step(dns.switchActive('switch-traffic', { ...route53, target: standby }, { fence: true }))
  .step(
    approval('approve-promotion', 'Traffic is on us-west-2. Promote the Aurora writer?', {
      timeoutMs: 30 * 60_000,
    }),
  )
  .after('switch-traffic')
  .step(
    database.ensureWriter('promote-aurora', {
      provider: 'aurora',
      database: { id: globalId },
      region: standby,
      // The writer's region may be dark: the path that needs nothing from it.
      mode: 'forced',
      frontedBy: [recordName],
      providerOptions: { 'aws.aurora': { forcedStrategy: 'detach' } },
    }),
  )
  .after('approve-promotion')
  .toPlan();

export const compiledShopPlan = compilePlan(shopPlan);

/** Any SigV4 signature passes: the emulator reads the region from the credential scope. */
const credentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' };

/** The Route 53 health check on the edge: informational, so it can degrade but never fail over. */
export const edgeCheck: HealthCheckSpec = {
  name: 'edge-health-check',
  class: 'informational',
  signal: 'edge',
  intervalMs: 30_000,
  failureThreshold: 2,
  timeoutMs: 10_000,
};

/**
 * Starts the world on a fresh emulator with its own deterministic clock (`startedAt` is the
 * health script's time zero) and the AWS adapters bound to it, one SDK attempt per call.
 * The caller stops the emulator.
 */
export async function startShopWorld(options: { curves?: MetricCurves; health?: ServiceHealth } = {}) {
  const clock = createDeterministicClock({ watchProcess: true });
  const startedAt = clock.now();
  const emulator = await startEmulator({
    seed: worldSeed(options.curves ?? {}),
    clock,
    extraServices: [shopHealthService(() => startedAt, options.health ?? (() => true))],
  });
  const aws = createAws({
    region: standby,
    credentials,
    endpoints: {
      route53: `${emulator.url}/aws/route53`,
      rds: `${emulator.url}/aws/rds`,
      cloudwatch: `${emulator.url}/aws/monitoring`,
    },
    time: clock,
    clientConfig: { maxAttempts: 1 },
  });
  return { clock, startedAt, emulator, aws };
}

/** A vantage point that says who it is, so the scripted endpoint can answer each differently. */
const vantage =
  (name: string): HttpProbeRunner =>
  (request) =>
    fetchProbeRunner({ ...request, headers: { ...request.headers, 'x-probe-vantage': name } });

/**
 * The sources ADR 039's checks read, bound to the emulator: the probes from the three vantage
 * points, the Aurora writer read where it lives (a dark primary is an unreachable writer), the
 * inventory alarm and the error and latency metrics. Callers add the sources of extra checks.
 */
export function adrSignals(emulator: Emulator, aws: AwsProvider): Record<string, SignalSourceV1> {
  const probes = Object.fromEntries(vantagePoints.map((name) => [name, vantage(name)]));
  const probe = (id: string, service: string) =>
    createHttpProbeSource({
      id,
      url: `${emulator.url}/shop/${primary}/${service}/health`,
      vantagePoints: probes,
    });
  return {
    region: probe('region', 'edge'),
    orders: probe('orders', 'orders'),
    payments: probe('payments', 'payments'),
    database: createDatabaseWriterSource({
      id: 'database',
      database: aws.databaseFailover({ region: primary }),
      ref: { id: globalId },
      region: primary,
    }),
    inventory: aws.alarmSource({ id: 'inventory', region: primary, alarmNames: [inventoryAlarm] }),
    errors: aws.metricSource({
      id: 'errors',
      regions: [primary],
      namespace: 'Shop/Api',
      metricName: 'ErrorRate',
      dimensions: metricDimensions,
    }),
    latency: aws.metricSource({
      id: 'latency',
      regions: [primary],
      namespace: 'Shop/Api',
      metricName: 'LatencyP95',
      dimensions: metricDimensions,
      unit: 'ms',
    }),
  };
}

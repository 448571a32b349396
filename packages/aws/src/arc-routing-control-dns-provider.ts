import type { RoutingControlState } from '@aws-sdk/client-route53-recovery-cluster';
import type {
  CallOptions,
  DnsCapabilities,
  DnsProviderV1,
  DnsRecordRef,
  DnsRecordSet,
  EnsureResult,
  FailoverResult,
  OperationHandle,
  WaitOptions,
} from '@failover/core';
import { ArcClusterClient, type ArcClusterEndpoint } from './arc-routing-control-client.js';
import { awsPollUntil, runAwsMethod } from './aws-call.js';
import type { AwsRuntime } from './aws-clients.js';
import { type AwsErrorContext, awsFailure } from './aws-error.js';
import type { AwsResourceAccess } from './aws-settings.js';

const provider = 'aws.arc';

/** One answer of a record set that a routing control gates (through a RECOVERY_CONTROL health check). */
export interface ArcRoutingControlTarget {
  /** The target id plans use, e.g. the record's SetIdentifier (`us-east-1`). */
  id: string;
  routingControlArn: string;
  /** What the record answers, for reports. Default: the routing control ARN. */
  values?: string[];
}

/** The routing controls that steer one DNS name, in failover order: the first is the primary. */
export interface ArcRoutingControlRecord {
  targets: ArcRoutingControlTarget[];
  /** Reported type. Default `A`. */
  type?: string;
  /** Reported TTL of the records. Default 60. */
  ttl?: number;
}

/** Options of `arcRoutingControls()`. */
export interface ArcRoutingControlOptions extends AwsResourceAccess {
  /** The cluster's regional endpoints (AWS gives five); tried in turn until one answers. */
  clusterEndpoints: ArcClusterEndpoint[];
  /** Record names (`api.example.com.`) and the routing controls behind their targets. */
  records: Record<string, ArcRoutingControlRecord>;
  /** ARC safety rules (assertion or gating rules) to override when changing states. */
  safetyRulesToOverride?: string[];
  /** How long one endpoint may take before the next is tried. Default 5000 ms. */
  endpointTimeoutMs?: number;
  /** First poll delay of `waitForChange`. Default 1000 ms. */
  pollIntervalMs?: number;
}

/** Route 53 ARC routing controls as a `DnsProviderV1`. */
export interface ArcRoutingControlDnsProvider extends DnsProviderV1 {
  readonly provider: 'aws.arc';
}

const capabilities: DnsCapabilities = {
  routing: ['failover'],
  disableTarget: true,
  createRecordSet: false,
  setTtl: false,
};

const norm = (name: string) => name.toLowerCase().replace(/\.?$/, '.');

/**
 * Route 53 Application Recovery Controller routing controls as a DNS provider.
 * A record set is the routing controls that gate its failover records through
 * RECOVERY_CONTROL health checks: a target is `enabled` when its control is On.
 * Taking a target out of rotation (`dns.fence`, `dns.disableTarget`) turns its
 * control Off; Route 53 then stops answering with it, with no call to Route 53's
 * control plane (homed in us-east-1). Only `enabled` can change: priorities,
 * values and TTL belong to the records, and asking to change them is `unsupported`.
 * Every call goes to the cluster's data plane, one regional endpoint after
 * another until one answers, so it works while any one region is dark.
 */
export function createArcRoutingControlDnsProvider(
  runtime: AwsRuntime,
  options: ArcRoutingControlOptions,
): ArcRoutingControlDnsProvider {
  const cluster = new ArcClusterClient({
    provider,
    endpoints: options.clusterEndpoints,
    time: runtime.time,
    attemptTimeoutMs: options.endpointTimeoutMs ?? 5_000,
    ...((options.credentials ?? runtime.settings.credentials) !== undefined && {
      credentials: options.credentials ?? runtime.settings.credentials,
    }),
    ...(runtime.settings.clientConfig !== undefined && { clientConfig: runtime.settings.clientConfig }),
  });
  const records = new Map(Object.entries(options.records).map(([name, record]) => [norm(name), record]));

  const recordOf = (context: AwsErrorContext, ref: DnsRecordRef): ArcRoutingControlRecord => {
    const record = records.get(norm(ref.name));
    if (!record) {
      throw awsFailure(
        'not-found',
        context,
        `No routing controls are configured for ${ref.name} (configured: ${[...records.keys()].join(', ') || 'none'}).`,
      );
    }
    return record;
  };

  async function observe(ref: DnsRecordRef, call: CallOptions): Promise<DnsRecordSet> {
    const record = recordOf({ provider, operation: 'getRecordSet' }, ref);
    const targets = [];
    for (const [index, target] of record.targets.entries()) {
      const state = await cluster.getState(target.routingControlArn, call);
      targets.push({
        id: target.id,
        values: target.values ? [...target.values] : [target.routingControlArn],
        priority: index + 1,
        enabled: state === 'On',
      });
    }
    return {
      name: norm(ref.name),
      type: record.type ?? 'A',
      ttl: record.ttl ?? 60,
      routing: 'failover',
      targets,
    };
  }

  /** The state changes `desired` asks for, or an `unsupported`/`invalid-input` error for anything else. */
  function planChanges(
    context: AwsErrorContext,
    ref: DnsRecordRef,
    observed: DnsRecordSet,
    desired: DnsRecordSet,
  ): Array<{ arn: string; state: RoutingControlState }> {
    const record = recordOf(context, ref);
    if (desired.ttl !== observed.ttl || desired.routing !== observed.routing) {
      throw awsFailure(
        'unsupported',
        context,
        'Routing controls cannot change the TTL or the routing of a record set.',
      );
    }
    const changes: Array<{ arn: string; state: RoutingControlState }> = [];
    for (const target of desired.targets) {
      const before = observed.targets.find((candidate) => candidate.id === target.id);
      const control = record.targets.find((candidate) => candidate.id === target.id);
      if (!before || !control) {
        throw awsFailure(
          'invalid-input',
          context,
          `No routing control for target "${target.id}" of ${ref.name}.`,
        );
      }
      if (
        before.priority !== target.priority ||
        before.weight !== target.weight ||
        before.values.join() !== target.values.join()
      ) {
        throw awsFailure(
          'unsupported',
          context,
          `Routing controls can only take target "${target.id}" of ${ref.name} in or out of rotation; its priority, weight and values belong to the Route 53 records.`,
        );
      }
      if (before.enabled !== target.enabled) {
        changes.push({ arn: control.routingControlArn, state: target.enabled ? 'On' : 'Off' });
      }
    }
    return changes;
  }

  return {
    specificationVersion: 'v1',
    kind: 'dns',
    provider,
    capabilities,

    getRecordSet: (ref, call) => runAwsMethod(provider, 'getRecordSet', call, (_, o) => observe(ref, o)),

    ensureRecordSet(ref, desired, call): FailoverResult<EnsureResult<DnsRecordSet | null>> {
      return runAwsMethod(provider, 'ensureRecordSet', call, async (context, o) => {
        const before = await observe(ref, o);
        const changes = planChanges(context, ref, before, desired);
        if (changes.length === 0) return { before, changed: false };
        // One transaction: every control changes, or none does.
        await cluster.updateStates(changes, options.safetyRulesToOverride, o);
        const handle: OperationHandle = {
          provider,
          operation: 'UpdateRoutingControlStates',
          startedAt: runtime.time.now(),
          detail: { states: Object.fromEntries(changes.map((change) => [change.arn, change.state])) },
        };
        return { before, changed: true, handle };
      });
    },

    waitForChange(handle: OperationHandle, wait: WaitOptions): FailoverResult<void> {
      return runAwsMethod(provider, 'waitForChange', wait, async (context, o) => {
        const states = (handle.detail?.states ?? {}) as Record<string, RoutingControlState>;
        await awsPollUntil<undefined>({
          time: runtime.time,
          context,
          wait,
          intervalMs: options.pollIntervalMs ?? 1_000,
          ...(o.abortSignal && { abortSignal: o.abortSignal }),
          poll: async () => {
            for (const [arn, state] of Object.entries(states)) {
              if ((await cluster.getState(arn, o)) !== state)
                return { done: false, status: `${arn} not yet ${state}` };
            }
            return { done: true, value: undefined };
          },
        });
      });
    },

    precheckRecordSet(ref, desired, observed, call) {
      return runAwsMethod(provider, 'precheckRecordSet', call, async (context) => {
        planChanges(context, ref, observed, desired);
      });
    },
  };
}

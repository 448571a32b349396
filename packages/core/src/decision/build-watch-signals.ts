import { FailoverError } from '../errors/failover-error.js';
import type { ProviderRegistry } from '../executor/provider-registry.js';
import { createDatabaseWriterSource } from '../health/database-writer-source.js';
import type { HttpProbeRunner } from '../health/http-probe-runner.js';
import { createHttpProbeSource } from '../health/http-probe-source.js';
import { createPrometheusSource } from '../health/prometheus-source.js';
import { createReplicationLagSource } from '../health/replication-lag-source.js';
import type { SignalSourceV1 } from '../health/signal-source-v1.js';
import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import { err, ok, type Result } from '../result.js';
import type { SignalSpec } from './watch-spec.js';

/**
 * Builds the sources a plan's `watch.signals` declares, beside those bound in
 * code (`bound`, which win on the same id). Database sources use the plan's
 * providers; HTTP probes run from `vantagePoints` (default: this process).
 */
export function buildWatchSignals(
  specs: readonly SignalSpec[],
  context: {
    providers: ProviderRegistry;
    bound?: Readonly<Record<string, SignalSourceV1>>;
    vantagePoints?: Record<string, HttpProbeRunner>;
  },
): Result<Record<string, SignalSourceV1>, FailoverError> {
  const sources: Record<string, SignalSourceV1> = {};
  for (const spec of specs) {
    if (spec.type === 'http') {
      const { id, type: _type, ...probe } = spec;
      sources[id] = createHttpProbeSource({
        id,
        ...probe,
        ...(context.vantagePoints && { vantagePoints: context.vantagePoints }),
      });
    } else if (spec.type === 'prometheus') {
      sources[spec.id] = createPrometheusSource(spec);
    } else {
      const database = context.providers[spec.provider] as DatabaseFailoverV1 | undefined;
      if (database?.kind !== 'database') {
        return err(
          new FailoverError({
            kind: 'invalid-input',
            message: `Signal ${spec.id} reads database provider "${spec.provider}", which is not bound to a database provider.`,
            provider: 'watch',
            operation: 'bind-signals',
            path: `watch.signals.${spec.id}.provider`,
          }),
        );
      }
      sources[spec.id] =
        spec.type === 'replication-lag'
          ? createReplicationLagSource({
              id: spec.id,
              database,
              ref: spec.database,
              ...(spec.region !== undefined && { region: spec.region }),
            })
          : createDatabaseWriterSource({ id: spec.id, database, ref: spec.database, region: spec.region });
    }
  }
  return ok({ ...sources, ...context.bound });
}

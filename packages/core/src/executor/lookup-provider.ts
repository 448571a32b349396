import { FailoverError } from '../errors/failover-error.js';
import type { ClusterScalerV1 } from '../providers/cluster/cluster-scaler-v1.js';
import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import type { ProviderKind } from '../providers/provider-kind.js';
import type { AnyResourceProviderV1 } from '../providers/resource/resource-provider-v1.js';
import { err, ok, type Result } from '../result.js';
import type { ProviderRegistry } from './provider-registry.js';

interface ProviderOfKind {
  dns: DnsProviderV1;
  database: DatabaseFailoverV1;
  cluster: ClusterScalerV1;
  resource: AnyResourceProviderV1;
}

/**
 * The provider bound to `name`, if it is of `kind`. Validation already rejects
 * a plan with a missing provider; this guards the executor all the same.
 */
export function lookupProvider<K extends ProviderKind>(
  providers: ProviderRegistry,
  name: string,
  kind: K,
): Result<ProviderOfKind[K], FailoverError> {
  const provider = Object.hasOwn(providers, name) ? providers[name] : undefined;
  if (!provider || provider.kind !== kind) {
    return err(
      new FailoverError({
        kind: 'invalid-input',
        message: provider
          ? `Provider "${name}" is a ${provider.kind} provider; this step needs a ${kind} provider.`
          : `No provider named "${name}" was given to the executor.`,
        provider: 'executor',
        operation: 'bindProvider',
        path: `providers.${name}`,
      }),
    );
  }
  return ok(provider as ProviderOfKind[K]);
}

import type { ClusterScalerV1 } from '../providers/cluster/cluster-scaler-v1.js';
import type { DatabaseFailoverV1 } from '../providers/database/database-failover-v1.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import type { AnyResourceProviderV1 } from '../providers/resource/resource-provider-v1.js';

/** Any of the provider interfaces; `kind` tells which. */
export type AnyProviderV1 = DnsProviderV1 | DatabaseFailoverV1 | ClusterScalerV1 | AnyResourceProviderV1;

/** The provider objects a plan's names are bound to at run time. */
export type ProviderRegistry = Readonly<Record<string, AnyProviderV1>>;

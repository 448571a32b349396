import type { EmulatorResponse, ServiceContext } from '../server/emulator-types.js';
import { ArmAsyncOperations } from './arm-async-operations.js';
import { armError } from './arm-errors.js';
import type { AzureSeed } from './azure-seed.js';

/** What the resource providers of the ARM emulator share: scopes, time, ids and LRO URLs. */
export interface ArmWorld {
  readonly context: ServiceContext;
  readonly operations: ArmAsyncOperations;
  /** A GUID from the seeded PRNG, so runs repeat. */
  newId(): string;
  /** The `Azure-AsyncOperation`/`Location` value for a path: https on the management host, or relative. */
  lroUrl(path: string, apiVersion: string): string;
  /** `SubscriptionNotFound` / `ResourceGroupNotFound`, or undefined when both exist. */
  scopeError(subscription: string, resourceGroup?: string): EmulatorResponse | undefined;
  /** The seeded spelling of a resource group name. */
  resourceGroupName(subscription: string, resourceGroup: string): string;
}

export function createArmWorld(context: ServiceContext, seed: AzureSeed): ArmWorld {
  const groups = new Map<string, Map<string, string>>();
  for (const subscription of seed.subscriptions ?? []) {
    const names = groups.get(subscription.id.toLowerCase()) ?? new Map<string, string>();
    for (const group of subscription.resourceGroups ?? []) names.set(group.name.toLowerCase(), group.name);
    groups.set(subscription.id.toLowerCase(), names);
  }
  const host = (seed.managementHost ?? 'https://management.azure.com').replace(/\/+$/, '');
  if (!host.startsWith('https://')) throw new RangeError('azure.managementHost must be an https URL');

  const newId = () => {
    const hex = Array.from({ length: 32 }, () => Math.floor(context.random() * 16).toString(16)).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };

  return {
    context,
    operations: new ArmAsyncOperations(context.clock, newId),
    newId,
    lroUrl(path, apiVersion) {
      const query = `?api-version=${encodeURIComponent(apiVersion)}`;
      return seed.lroUrls === 'relative' ? `${path}${query}` : `${host}${path}${query}`;
    },
    scopeError(subscription, resourceGroup) {
      const names = groups.get(subscription.toLowerCase());
      if (!names)
        return armError(
          404,
          'SubscriptionNotFound',
          `The subscription '${subscription}' could not be found.`,
        );
      if (resourceGroup !== undefined && !names.has(resourceGroup.toLowerCase())) {
        return armError(
          404,
          'ResourceGroupNotFound',
          `Resource group '${resourceGroup}' could not be found.`,
        );
      }
      return undefined;
    },
    resourceGroupName(subscription, resourceGroup) {
      return groups.get(subscription.toLowerCase())?.get(resourceGroup.toLowerCase()) ?? resourceGroup;
    },
  };
}

/** Region display names compare without case and spaces (`East US` = `eastus`). */
export function regionKey(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

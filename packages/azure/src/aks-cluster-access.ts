import { type CallOptions, FailoverError, type FailoverResult } from '@failover/core';
import { azureCall } from './azure-call.js';
import type { AzureClients } from './azure-clients.js';

/** Which AKS cluster. */
export interface AksClusterAccessOptions {
  /** The managed cluster's name. */
  cluster: string;
  /** Default: the factory's `resourceGroup`. */
  resourceGroup?: string;
}

/**
 * How `@failover/kubernetes` reaches an AKS cluster without the Azure CLI or
 * kubelogin: server and CA from `listClusterUserCredentials`, and an Entra ID
 * token for the AKS server application from the factory's credential.
 * Structurally a `KubernetesClusterAccess` (no package depends on the other).
 */
export interface AksClusterAccess {
  readonly cluster: string;
  endpoint(options?: CallOptions): FailoverResult<{ server: string; caData?: string }>;
  token(options?: CallOptions): FailoverResult<{ token: string; expiresAt: number }>;
}

const provider = 'azure.aks';
/** The AKS AAD server application: the audience of every AKS-managed Entra ID cluster token. */
export const aksServerScope = '6dae42f8-4368-4678-94ff-3960e28e3630/.default';

/**
 * The kubeconfig's first cluster `server` and `certificate-authority-data`.
 * AKS writes a fixed layout (one cluster, `key: value` lines), so two line
 * matches read it without a YAML parser.
 */
export function readAksKubeconfig(kubeconfig: string): { server?: string; caData?: string } {
  const field = (name: string) =>
    new RegExp(`^\\s*${name}:\\s*['"]?([^'"\\s]+)['"]?\\s*$`, 'm').exec(kubeconfig)?.[1];
  const server = field('server');
  const caData = field('certificate-authority-data');
  return { ...(server !== undefined && { server }), ...(caData !== undefined && { caData }) };
}

/**
 * An `AksClusterAccess`: the endpoint is read through the SDK's
 * `managedClusters.listClusterUserCredentials` (the kubeconfig's exec plugin
 * is ignored); the token is `credential.getToken(aksServerScope)`, whose
 * expiry is moved onto the factory's clock. The token is never logged.
 */
export function createAksClusterAccess(
  clients: AzureClients,
  options: AksClusterAccessOptions,
): AksClusterAccess {
  const resourceGroup = () => {
    const group = options.resourceGroup ?? clients.settings.resourceGroup;
    if (!group) {
      throw new FailoverError({
        kind: 'invalid-input',
        message: `AKS cluster ${options.cluster}: no resource group; pass \`resourceGroup\` or set it in createAzure().`,
        provider,
        operation: 'ManagedClusters_ListClusterUserCredentials',
        path: 'resourceGroup',
      });
    }
    return group;
  };
  const now = () => clients.settings.time?.now() ?? Date.now();

  return {
    cluster: options.cluster,
    endpoint: (call) =>
      azureCall(provider, 'ManagedClusters_ListClusterUserCredentials', call, async () => {
        const client = await clients.containerService();
        const answer = await client.managedClusters.listClusterUserCredentials(
          resourceGroup(),
          options.cluster,
        );
        const value = answer.kubeconfigs?.[0]?.value;
        if (!value) throw new Error(`AKS cluster ${options.cluster} returned no kubeconfig`);
        const read = readAksKubeconfig(Buffer.from(value).toString('utf8'));
        if (!read.server) throw new Error(`AKS cluster ${options.cluster}: its kubeconfig names no server`);
        return { server: read.server, ...(read.caData !== undefined && { caData: read.caData }) };
      }),
    token: (call) =>
      azureCall(provider, 'getToken', call, async () => {
        const credential = await clients.credential();
        const issued = await credential.getToken(aksServerScope, {
          ...(call?.abortSignal && { abortSignal: call.abortSignal }),
        });
        if (!issued) throw new Error('The credential returned no token for the AKS server application');
        // expiresOnTimestamp is on the wall clock; the connection compares on the factory's.
        return { token: issued.token, expiresAt: now() + (issued.expiresOnTimestamp - Date.now()) };
      }),
  };
}

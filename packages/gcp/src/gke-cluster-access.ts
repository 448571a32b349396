import type { CallOptions, FailoverResult } from '@failover/core';
import { gcpCall, runGcp } from './gcp-call.js';
import type { GcpClients } from './gcp-clients.js';

/** Which GKE cluster. */
export interface GkeClusterAccessOptions {
  /** The cluster's location: a region or, for a zonal cluster, a zone. */
  location: string;
  cluster: string;
  /** Default: the `createGcp()` project. */
  project?: string;
}

/**
 * How `@failover/kubernetes` reaches a GKE cluster without gcloud or
 * gke-gcloud-auth-plugin: endpoint and CA from the Container API's
 * `clusters.get`, and the factory's OAuth access token. Structurally a
 * `KubernetesClusterAccess` (no package depends on the other).
 */
export interface GkeClusterAccess {
  readonly cluster: string;
  endpoint(options?: CallOptions): FailoverResult<{ server: string; caData?: string }>;
  token(options?: CallOptions): FailoverResult<{ token: string; expiresAt: number }>;
}

const provider = 'gcp.gke';
/** Google access tokens live an hour; one whose client states no expiry is renewed within that. */
const accessTokenLifetimeMs = 60 * 60_000;

/** What google-auth-library's clients answer to getAccessToken (GoogleAuth: a string). */
interface TokenSource {
  getAccessToken(): Promise<string | null | undefined | { token?: string | null }>;
  credentials?: { expiry_date?: number | null };
  getClient?: () => Promise<TokenSource>;
}

/**
 * A `GkeClusterAccess`. GKE's `endpoint` is a bare address, served on https;
 * one that already has a scheme (the emulator's) is kept. The token comes from
 * the auth client, which renews it itself when it is close to expiring; its
 * expiry is moved onto the factory's clock. The token is never logged.
 */
export function createGkeClusterAccess(
  clients: GcpClients,
  options: GkeClusterAccessOptions,
): GkeClusterAccess {
  return {
    cluster: options.cluster,
    endpoint: (call) =>
      runGcp(provider, 'projects.locations.clusters.get', async () => {
        const project = await clients.project(provider, 'projects.locations.clusters.get', options.project);
        const name = `projects/${project}/locations/${options.location}/clusters/${options.cluster}`;
        return gcpCall(provider, 'projects.locations.clusters.get', false, call, async (signal) => {
          const gke = await clients.container();
          const cluster = (
            await gke.projects.locations.clusters.get({ name }, clients.methodOptions('container', signal))
          ).data;
          if (!cluster.endpoint)
            throw new Error(`GKE cluster ${options.cluster} has no endpoint yet (is it RUNNING?)`);
          const server = /^https?:\/\//.test(cluster.endpoint)
            ? cluster.endpoint
            : `https://${cluster.endpoint}`;
          const caData = cluster.masterAuth?.clusterCaCertificate ?? undefined;
          return { server, ...(caData && { caData }) };
        });
      }),
    token: (call) =>
      gcpCall(provider, 'getAccessToken', false, call, async () => {
        const auth = (await clients.auth()) as unknown as TokenSource;
        const source = typeof auth.getClient === 'function' ? await auth.getClient() : auth;
        const answer = await source.getAccessToken();
        const token = typeof answer === 'string' ? answer : answer?.token;
        if (!token) throw new Error('The credentials returned no access token');
        const now = clients.time.now();
        const expiry = source.credentials?.expiry_date;
        // expiry_date is on the wall clock; the connection compares on the factory's.
        const left = typeof expiry === 'number' ? expiry - Date.now() : accessTokenLifetimeMs;
        return { token, expiresAt: now + Math.min(left, accessTokenLifetimeMs) };
      }),
  };
}

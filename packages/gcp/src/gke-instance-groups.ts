import type { AuthorizedRequester, GcpRequestOptions } from './gcp-request.js';
import { withSlash } from './gcp-request.js';

/** The fields of a Compute Engine instance group manager a node-pool reader needs. */
export interface InstanceGroupManager {
  name?: string;
  zone?: string;
  /** Nodes this zone of the pool aims for. */
  targetSize?: number;
  /** Instances by pending action; `none` are running with nothing to do. */
  currentActions?: {
    none?: number;
    creating?: number;
    deleting?: number;
    [action: string]: number | undefined;
  };
  status?: { isStable?: boolean };
}

/**
 * Reads the instance group managers behind a GKE node pool. A NodePool has no
 * size field: its real per-zone size is each zone's instance group manager
 * (`nodePool.instanceGroupUrls`). The URLs name `www.googleapis.com`; the path
 * is replayed against the configured Compute root URL.
 */
export interface InstanceGroupReader {
  get(instanceGroupUrl: string, options?: GcpRequestOptions): Promise<InstanceGroupManager>;
}

export function createInstanceGroupReader(
  auth: AuthorizedRequester,
  rootUrl: string,
  requestTimeoutMs?: number,
): InstanceGroupReader {
  const root = withSlash(rootUrl);
  return {
    async get(instanceGroupUrl, options = {}) {
      const path = new URL(instanceGroupUrl).pathname;
      const at = path.indexOf('/compute/v1/');
      if (at < 0) throw new Error(`Not a Compute Engine v1 URL: ${instanceGroupUrl}`);
      const response = await auth.request<InstanceGroupManager>({
        url: `${root}${path.slice(at + 1)}`,
        method: 'GET',
        retry: false,
        ...(options.signal && { signal: options.signal }),
        ...(requestTimeoutMs !== undefined && { timeout: requestTimeoutMs }),
      });
      return response.data;
    },
  };
}

import { FailoverError, realTime, type Time } from '@failover/core';
import type { container_v1 } from '@googleapis/container';
import type { sqladmin_v1 } from '@googleapis/sqladmin';
import { type CloudDnsClient, createCloudDnsClient } from './cloud-dns-client.js';
import type { AuthorizedRequester } from './gcp-request.js';
import { withRequestRetry } from './gcp-request-retry.js';
import { cloudPlatformScope, defaultRootUrls, type GcpAuthClient, type GcpSettings } from './gcp-settings.js';
import { createInstanceGroupReader, type InstanceGroupReader } from './gke-instance-groups.js';
import {
  type CloudMonitoringClient,
  createCloudMonitoringClient,
} from './signals/cloud-monitoring-client.js';

/** Per-call options for the `@googleapis/*` methods. */
export interface MethodOptions {
  rootUrl: string;
  retry: false;
  signal?: AbortSignal;
  timeout?: number;
}

/**
 * The Google clients, created on first use and shared by the three providers of
 * one `createGcp()`. Nothing here runs at import time: the client packages
 * themselves are loaded with `import()` when a provider first needs them, so a
 * function that only switches DNS never loads the Cloud SQL or GKE clients.
 */
export class GcpClients {
  readonly time: Time;
  private authPromise?: Promise<GcpAuthClient>;
  private sqlPromise?: Promise<sqladmin_v1.Sqladmin>;
  private containerPromise?: Promise<container_v1.Container>;
  private dnsPromise?: Promise<CloudDnsClient>;
  private groupsPromise?: Promise<InstanceGroupReader>;
  private monitoringPromise?: Promise<CloudMonitoringClient>;
  private projectPromise?: Promise<string>;

  constructor(private readonly settings: GcpSettings) {
    this.time = settings.time ?? realTime;
  }

  /** The credentials: the given auth client, else a fixed access token, else Application Default Credentials. */
  auth(): Promise<GcpAuthClient> {
    // Every request goes through the auth client's request(): retried there on the injected clock.
    this.authPromise ??= this.createAuth().then((auth) =>
      withRequestRetry(auth, this.time, this.settings.retry),
    );
    return this.authPromise;
  }

  private createAuth(): Promise<GcpAuthClient> {
    return (async () => {
      if (this.settings.authClient) return this.settings.authClient;
      const { accessToken } = this.settings;
      if (accessToken !== undefined) {
        const { OAuth2Client } = await import('google-auth-library');
        const client = new OAuth2Client();
        // A token that does not expire for the client: it never tries to refresh it.
        client.setCredentials({ access_token: accessToken, expiry_date: Number.MAX_SAFE_INTEGER });
        return client;
      }
      const { GoogleAuth } = await import('google-auth-library');
      return new GoogleAuth({ scopes: [cloudPlatformScope], ...this.settings.googleAuthOptions });
    })();
  }

  /** The project of a call: the ref's, else the settings', else the credentials'. */
  async project(provider: string, operation: string, explicit?: string): Promise<string> {
    if (explicit) return explicit;
    if (this.settings.project) return this.settings.project;
    this.projectPromise ??= (async () => {
      const auth = (await this.auth()) as { getProjectId?: () => Promise<string> };
      const id = typeof auth.getProjectId === 'function' ? await auth.getProjectId() : undefined;
      if (!id) throw new Error('no project');
      return id;
    })().catch(() => {
      this.projectPromise = undefined;
      throw new FailoverError({
        kind: 'invalid-input',
        message:
          'No Google Cloud project: set `project` in createGcp() settings, name it in the ref, or use credentials that carry one.',
        provider,
        operation,
        path: 'project',
      });
    });
    return this.projectPromise;
  }

  sqladmin(): Promise<sqladmin_v1.Sqladmin> {
    this.sqlPromise ??= (async () => {
      const [{ sqladmin }, auth] = await Promise.all([import('@googleapis/sqladmin'), this.auth()]);
      return sqladmin({ version: 'v1', auth });
    })();
    return this.sqlPromise;
  }

  container(): Promise<container_v1.Container> {
    this.containerPromise ??= (async () => {
      const [{ container }, auth] = await Promise.all([import('@googleapis/container'), this.auth()]);
      return container({ version: 'v1', auth });
    })();
    return this.containerPromise;
  }

  dns(): Promise<CloudDnsClient> {
    this.dnsPromise ??= this.auth().then((auth) =>
      createCloudDnsClient(
        auth as unknown as AuthorizedRequester,
        this.rootUrl('dns'),
        this.settings.requestTimeoutMs,
      ),
    );
    return this.dnsPromise;
  }

  /** The Cloud Monitoring REST client (signal sources). */
  monitoring(): Promise<CloudMonitoringClient> {
    this.monitoringPromise ??= this.auth().then((auth) =>
      createCloudMonitoringClient(
        auth as unknown as AuthorizedRequester,
        this.rootUrl('monitoring'),
        this.settings.requestTimeoutMs,
      ),
    );
    return this.monitoringPromise;
  }

  instanceGroups(): Promise<InstanceGroupReader> {
    this.groupsPromise ??= this.auth().then((auth) =>
      createInstanceGroupReader(
        auth as unknown as AuthorizedRequester,
        this.rootUrl('compute'),
        this.settings.requestTimeoutMs,
      ),
    );
    return this.groupsPromise;
  }

  /**
   * Options for one `@googleapis/*` call. The root URL goes per call: a
   * client-level `rootUrl` is resolved against the absolute API path and loses
   * any path prefix (such as an emulator mount). SDK retries are off.
   */
  methodOptions(api: 'sqladmin' | 'container', signal?: AbortSignal): MethodOptions {
    return {
      rootUrl: this.rootUrl(api),
      retry: false,
      ...(signal && { signal }),
      ...(this.settings.requestTimeoutMs !== undefined && { timeout: this.settings.requestTimeoutMs }),
    };
  }

  private rootUrl(api: keyof typeof defaultRootUrls): string {
    return (this.settings.rootUrls?.[api] ?? defaultRootUrls[api]).replace(/\/*$/, '/');
  }
}

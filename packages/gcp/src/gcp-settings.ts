import type { Time } from '@failover/core';
import type {
  BaseExternalAccountClient,
  GoogleAuth,
  GoogleAuthOptions,
  OAuth2Client,
} from 'google-auth-library';
import type { GcpRetrySettings } from './gcp-request-retry.js';

/** Anything Google's clients accept as `auth`: Application Default Credentials, an OAuth2 or external-account client. */
export type GcpAuthClient = GoogleAuth | OAuth2Client | BaseExternalAccountClient;

/**
 * Root URLs of the Google APIs the adapters call, each ending in `/`. Override
 * them to reach an emulator or a private endpoint; unset ones use Google's.
 */
export interface GcpRootUrls {
  /** Cloud DNS. Default `https://dns.googleapis.com/`. */
  dns?: string;
  /** Cloud SQL Admin. Default `https://sqladmin.googleapis.com/`. */
  sqladmin?: string;
  /** GKE (Container API). Default `https://container.googleapis.com/`. */
  container?: string;
  /** Compute Engine, read for a node pool's per-zone instance groups. Default `https://compute.googleapis.com/`. */
  compute?: string;
  /** Cloud Monitoring, read by metric signal sources. Default `https://monitoring.googleapis.com/`. */
  monitoring?: string;
}

/** Settings of `createGcp()`. Everything is optional; credentials resolve lazily on the first call. */
export interface GcpSettings {
  /**
   * The project refs belong to unless a ref names its own. Default: the project of
   * Application Default Credentials (`GoogleAuth.getProjectId()`).
   */
  project?: string;
  /**
   * The credentials. Default: Application Default Credentials through google-auth-library's
   * `GoogleAuth` with the `cloud-platform` scope, created on the first call.
   */
  authClient?: GcpAuthClient;
  /**
   * A bearer token to send as it is (one you obtained yourself, or any string for
   * `@failover/emulator`), instead of Application Default Credentials. Ignored when
   * `authClient` is given. Never logged.
   */
  accessToken?: string;
  /** Options for the default `GoogleAuth` (key file, credentials, scopes), when `authClient` is not given. */
  googleAuthOptions?: GoogleAuthOptions;
  /** Per-API root URLs (tests point them at `@failover/emulator`). */
  rootUrls?: GcpRootUrls;
  /** The clock waits use. Default: real time. */
  time?: Time;
  /**
   * The adapter's own retries of each request, on `time` and inside the call's
   * `deadlineAt`: a read on 429, 5xx, resets and timeouts, a mutation only on 429.
   */
  retry?: GcpRetrySettings;
  /** Abandon a single HTTP request after this many milliseconds (a network timeout, on the real clock). */
  requestTimeoutMs?: number;
}

export const defaultRootUrls: Required<GcpRootUrls> = {
  dns: 'https://dns.googleapis.com/',
  sqladmin: 'https://sqladmin.googleapis.com/',
  container: 'https://container.googleapis.com/',
  compute: 'https://compute.googleapis.com/',
  monitoring: 'https://monitoring.googleapis.com/',
};

/** The scope every call needs (Cloud DNS, Cloud SQL Admin, GKE and Compute all accept it). */
export const cloudPlatformScope = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Root URLs of the Google APIs on a `@failover/emulator` at `emulatorUrl`
 * (`http://127.0.0.1:PORT`), for `GcpSettings.rootUrls`.
 */
export function emulatorRootUrls(emulatorUrl: string): Required<GcpRootUrls> {
  const base = emulatorUrl.replace(/\/+$/, '');
  return {
    dns: `${base}/gcp/dns/`,
    sqladmin: `${base}/gcp/sqladmin/`,
    container: `${base}/gcp/container/`,
    compute: `${base}/gcp/compute/`,
    monitoring: `${base}/gcp/monitoring/`,
  };
}

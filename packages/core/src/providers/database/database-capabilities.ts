import type { FailoverMode } from './database-desired-state.js';

/** Static facts a database provider declares. */
export interface DatabaseCapabilities {
  /** Modes it can perform. */
  modes: readonly FailoverMode[];
  /** It reports replication lag (pre-flight lag checks need this). */
  replicationLag: boolean;
}

import type { DnsRouting } from './dns-record-set.js';
import type { DnsWeightScale } from './dns-weight-scale.js';

/** Static facts a DNS provider declares, so a plan can be rejected before any call. */
export interface DnsCapabilities {
  /** Routing kinds it can read and change. */
  routing: readonly DnsRouting[];
  /** It can take a target out of rotation and back (`enabled`). */
  disableTarget: boolean;
  /** It can create a missing record set (`createIfMissing`). */
  createRecordSet: boolean;
  /** It can change the TTL. */
  setTtl: boolean;
  /** How it says weights, so plans may give percentages (`weightPercents`). Absent: raw weights only. */
  weightScale?: DnsWeightScale;
}

import type { Cloud, EmulatorService, RouteMatch } from './emulator-types.js';

/**
 * How a dark region answers: `unavailable` is the service's own error with
 * status 503; `drop` destroys the connection without a response (what a
 * client sees when the region's front doors are gone).
 */
export type BlackoutMode = 'unavailable' | 'drop';

/** A whole region of one cloud gone dark. */
export interface RegionBlackout {
  cloud: Cloud;
  region: string;
  /** Default `unavailable`. */
  mode?: BlackoutMode;
}

/**
 * Global services whose control plane lives in one region: they go dark with
 * it. Route 53's control plane (ChangeResourceRecordSets, UpdateHealthCheck...)
 * is served from us-east-1; its DNS answers (the data plane) are not emulated
 * here and keep working. Traffic Manager and Cloud DNS are global and homed in
 * no single region, so they are absent.
 */
export const globalServiceHomes: Readonly<Record<string, { cloud: Cloud; region: string }>> = {
  'aws.route53': { cloud: 'aws', region: 'us-east-1' },
};

/** The region blackouts of a running emulator (`emulator.blackouts`, or `/_emulator/blackouts`). */
export interface RegionBlackouts {
  /** Blacks out a region; returns a function that lifts this blackout. */
  add(blackout: RegionBlackout): () => void;
  /** Lifts every blackout. */
  clear(): void;
  /** The blackouts in force. */
  list(): RegionBlackout[];
  /**
   * The blackout that takes this call down: the route's region is dark (AWS:
   * the signed region, an ARC endpoint's own region; Azure: the location of the
   * resource the ARM path addresses; Google Cloud: the region of the instance,
   * cluster or zone addressed), or the service is global and homed there.
   * Regions compare without case and spaces (`East US` is `eastus`).
   */
  match(
    service: Pick<EmulatorService, 'id' | 'cloud'>,
    routed: Pick<RouteMatch, 'region'>,
  ): RegionBlackout | undefined;
}

export function createRegionBlackouts(): RegionBlackouts {
  const active: RegionBlackout[] = [];
  return {
    add(blackout) {
      validate(blackout);
      const entry = { ...blackout, mode: blackout.mode ?? 'unavailable' };
      active.push(entry);
      return () => {
        const index = active.indexOf(entry);
        if (index >= 0) active.splice(index, 1);
      };
    },
    clear() {
      active.length = 0;
    },
    list() {
      return active.map((entry) => ({ ...entry }));
    },
    match(service, routed) {
      const home = globalServiceHomes[service.id];
      const region = routed.region === undefined ? undefined : sameSpelling(routed.region);
      return active.find(
        (entry) =>
          entry.cloud === service.cloud &&
          (sameSpelling(entry.region) === region || (home !== undefined && home.region === entry.region)),
      );
    },
  };
}

/** Azure names a region `East US` or `eastus`; the others spell it one way. */
function sameSpelling(region: string): string {
  return region.replace(/\s+/g, '').toLowerCase();
}

/** Reads a blackout from the control API's JSON body; throws a RangeError on a bad one. */
export function parseRegionBlackout(value: unknown): RegionBlackout {
  const body = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const blackout: RegionBlackout = {
    cloud: String(body.cloud ?? ''),
    region: String(body.region ?? ''),
    ...(body.mode !== undefined && { mode: body.mode as BlackoutMode }),
  };
  validate(blackout);
  return blackout;
}

function validate(blackout: RegionBlackout): void {
  if (typeof blackout.cloud !== 'string' || blackout.cloud === '')
    throw new RangeError('RegionBlackout.cloud is required (aws, azure, gcp...)');
  if (typeof blackout.region !== 'string' || blackout.region === '')
    throw new RangeError('RegionBlackout.region is required');
  if (blackout.mode !== undefined && blackout.mode !== 'unavailable' && blackout.mode !== 'drop')
    throw new RangeError('RegionBlackout.mode must be "unavailable" or "drop"');
}

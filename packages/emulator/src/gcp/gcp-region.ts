/**
 * The region a Google Cloud location belongs to, for region blackouts: a zone
 * (`us-central1-a`) is in its region (`us-central1`), a region is itself, and
 * `-` (every location) or `global` is no region: such a request goes to a global
 * front end, which a regional outage leaves answering.
 */
export function gcpRegionOf(location: string | undefined): string | undefined {
  if (location === undefined || location === '-' || location === 'global' || location === '')
    return undefined;
  const zone = /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(location);
  return zone ? zone[1] : location;
}

/** A managed zone and record set named by a `DnsRecordRef`. */
export interface CloudDnsTarget {
  project?: string;
  zone: string;
  /** Fully qualified, with the trailing dot. */
  name: string;
  type?: string;
}

/**
 * Reads a DNS ref: `zone` is a managed zone name (or `projects/<p>/managedZones/<z>`),
 * `name` a DNS name (a missing trailing dot is added). A message when unusable.
 */
export function parseDnsRef(
  ref: unknown,
  defaultZone: string | undefined,
): CloudDnsTarget | { problem: string; path: string } {
  if (typeof ref !== 'object' || ref === null) return { problem: 'The record ref is missing.', path: 'ref' };
  const { zone, name, type } = ref as { zone?: unknown; name?: unknown; type?: unknown };
  if (typeof name !== 'string' || name.trim() === '')
    return { problem: 'The record ref needs a DNS name.', path: 'ref.name' };
  if (type !== undefined && (typeof type !== 'string' || !/^[A-Z0-9]+$/i.test(type)))
    return { problem: `Invalid record type ${JSON.stringify(type)}.`, path: 'ref.type' };
  const zoneText = zone ?? defaultZone;
  if (typeof zoneText !== 'string' || zoneText === '')
    return {
      problem: 'The record ref needs the managed zone (ref.zone, or `zone` in dnsProvider()).',
      path: 'ref.zone',
    };
  const full = /^projects\/([^/]+)\/managedZones\/([^/]+)$/.exec(zoneText);
  const fqdn = name.endsWith('.') ? name : `${name}.`;
  return {
    ...(full && { project: full[1] }),
    zone: full ? full[2]! : zoneText,
    name: fqdn,
    ...(typeof type === 'string' && { type: type.toUpperCase() }),
  };
}

/** A Cloud SQL instance named by a `DatabaseRef`: `instance` or `project:instance`. */
export function parseInstanceRef(ref: unknown): { project?: string; instance: string } | undefined {
  const id = (ref as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') return undefined;
  const match = /^(?:([a-z][-a-z0-9.:]*[a-z0-9]):)?([a-z][-a-z0-9]*)$/.exec(id);
  if (!match) return undefined;
  return { ...(match[1] !== undefined && { project: match[1] }), instance: match[2]! };
}

/** A GKE node pool named by a `NodePoolRef`: `cluster` is a name or `projects/<p>/locations/<l>/clusters/<c>`. */
export function parsePoolRef(
  ref: unknown,
  defaultLocation: string | undefined,
): { project?: string; location: string; cluster: string; pool: string } | { problem: string; path: string } {
  if (typeof ref !== 'object' || ref === null)
    return { problem: 'The node pool ref is missing.', path: 'ref' };
  const { cluster, pool, region } = ref as { cluster?: unknown; pool?: unknown; region?: unknown };
  if (typeof pool !== 'string' || !/^[a-z0-9][-a-z0-9]*$/.test(pool))
    return { problem: 'The node pool ref needs a pool name.', path: 'ref.pool' };
  if (typeof cluster !== 'string' || cluster === '')
    return { problem: 'The node pool ref needs a cluster.', path: 'ref.cluster' };
  const full = /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/.exec(cluster);
  if (full) return { project: full[1], location: full[2]!, cluster: full[3]!, pool };
  if (!/^[a-z0-9][-a-z0-9]*$/.test(cluster))
    return { problem: `Invalid cluster name ${JSON.stringify(cluster)}.`, path: 'ref.cluster' };
  const location = typeof region === 'string' && region !== '' ? region : defaultLocation;
  if (!location)
    return {
      problem: 'The node pool ref needs the cluster location (ref.region: a region or zone).',
      path: 'ref.region',
    };
  return { location, cluster, pool };
}

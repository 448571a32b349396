import type { Change } from '@aws-sdk/client-route-53';

/** Route 53's limits on one ChangeResourceRecordSets request. */
export const route53BatchLimits = {
  /** ResourceRecord elements per request; an UPSERT counts twice. */
  records: 1_000,
  /** Characters of all Value elements per request; an UPSERT counts twice. */
  valueCharacters: 32_000,
} as const;

/** How much of the limits one change uses. */
export function changeWeight(change: Change): { records: number; valueCharacters: number } {
  const factor = change.Action === 'UPSERT' ? 2 : 1;
  const values = change.ResourceRecordSet?.ResourceRecords ?? [];
  return {
    // An alias record counts as one record.
    records: Math.max(1, values.length) * factor,
    valueCharacters: values.reduce((total, entry) => total + (entry.Value?.length ?? 0), 0) * factor,
  };
}

/** The sum of the weights of a group of changes. */
export function groupWeight(changes: readonly Change[]): { records: number; valueCharacters: number } {
  return changes.reduce(
    (total, change) => {
      const weight = changeWeight(change);
      return {
        records: total.records + weight.records,
        valueCharacters: total.valueCharacters + weight.valueCharacters,
      };
    },
    { records: 0, valueCharacters: 0 },
  );
}

/** Whether a group of changes fits one request. */
export function fitsOneBatch(changes: readonly Change[]): boolean {
  const weight = groupWeight(changes);
  return (
    weight.records <= route53BatchLimits.records &&
    weight.valueCharacters <= route53BatchLimits.valueCharacters
  );
}

/**
 * Packs groups of changes (each group one record set's changes, which must stay in
 * one request to apply atomically) into as few requests as the limits allow, in
 * order. Returns the indexes of the groups in each request. A group too large on
 * its own gets a request of its own (the caller refuses it before sending).
 */
export function packChangeGroups(groups: ReadonlyArray<readonly Change[]>): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let used = { records: 0, valueCharacters: 0 };
  groups.forEach((group, index) => {
    const weight = groupWeight(group);
    const fits =
      used.records + weight.records <= route53BatchLimits.records &&
      used.valueCharacters + weight.valueCharacters <= route53BatchLimits.valueCharacters;
    if (!fits && current.length > 0) {
      batches.push(current);
      current = [];
      used = { records: 0, valueCharacters: 0 };
    }
    current.push(index);
    used = {
      records: used.records + weight.records,
      valueCharacters: used.valueCharacters + weight.valueCharacters,
    };
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

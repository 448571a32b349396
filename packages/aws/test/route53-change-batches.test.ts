import type { Change } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { changeWeight, fitsOneBatch, packChangeGroups } from '../src/route53-change-batches.js';

const txt = (action: Change['Action'], values: string[]): Change => ({
  Action: action,
  ResourceRecordSet: {
    Name: 'x.example.',
    Type: 'TXT',
    TTL: 60,
    ResourceRecords: values.map((Value) => ({ Value })),
  },
});

describe('Route 53 change batches', () => {
  it('counts records and value characters as Route 53 does: an UPSERT twice, an alias as one record', () => {
    expect(changeWeight(txt('CREATE', ['"ab"', '"cd"']))).toEqual({ records: 2, valueCharacters: 8 });
    expect(changeWeight(txt('UPSERT', ['"ab"', '"cd"']))).toEqual({ records: 4, valueCharacters: 16 });
    const alias: Change = {
      Action: 'UPSERT',
      ResourceRecordSet: {
        Name: 'a.example.',
        Type: 'A',
        AliasTarget: { HostedZoneId: 'Z1', DNSName: 'lb.example.', EvaluateTargetHealth: false },
      },
    };
    expect(changeWeight(alias)).toEqual({ records: 2, valueCharacters: 0 });
  });

  it('splits at 32,000 characters of values even when far under 1,000 records, never inside a group', () => {
    const value = `"${'v'.repeat(3_998)}"`; // 4,000 characters
    // Each group: one UPSERT of one 4,000-character value = 8,000 characters; four fit, the fifth does not.
    const groups = Array.from({ length: 9 }, () => [txt('UPSERT', [value])]);
    expect(packChangeGroups(groups)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
    expect(fitsOneBatch(groups.slice(0, 4).flat())).toBe(true);
    expect(fitsOneBatch(groups.slice(0, 5).flat())).toBe(false);
  });

  it('splits at 1,000 records: 600 CREATEs of one value and 300 UPSERTs make two requests', () => {
    const creates = Array.from({ length: 600 }, () => [txt('CREATE', ['"a"'])]);
    const upserts = Array.from({ length: 300 }, () => [txt('UPSERT', ['"b"'])]);
    const batches = packChangeGroups([...creates, ...upserts]);
    expect(batches.map((batch) => batch.length)).toEqual([800, 100]);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const worker = fileURLToPath(new URL('./test-support/lock-race-worker.ts', import.meta.url));
const journalModule = fileURLToPath(new URL('./file-journal.ts', import.meta.url));
// On tmpfs where there is one: the race is the same, and fsync (each lock is synced) costs nothing there.
const scratch = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const racers = 3;
const trials = 200;

/** A pid that certainly belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

function race(dir: string, racer: number): Promise<number | null> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', worker, journalModule, dir, String(racer), String(racers), String(trials)],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
}

describe('createFileJournal lock takeover', () => {
  it(`gives a stale lock to exactly one of ${racers} racing processes, ${trials} times out of ${trials}`, async () => {
    const dir = mkdtempSync(join(scratch, 'failover-lock-race-'));
    try {
      const stale = JSON.stringify({
        pid: deadPid(),
        hostname: hostname(),
        planId: 'plan',
        runId: 'crashed',
        acquiredAt: '2026-01-01T00:00:00Z',
      });
      for (let trial = 0; trial < trials; trial++) {
        mkdirSync(join(dir, String(trial)));
        writeFileSync(join(dir, String(trial), 'run.jsonl.lock'), stale);
      }
      const exits = await Promise.all(Array.from({ length: racers }, (_, racer) => race(dir, racer)));
      expect(exits).toEqual(Array(racers).fill(0));

      const owners = Array.from({ length: trials }, (_, trial) => {
        const trialDir = join(dir, String(trial));
        const results = readdirSync(trialDir)
          .filter((name) => name.startsWith('result-'))
          .map((name) => readFileSync(join(trialDir, name), 'utf8'));
        expect(results).toHaveLength(racers);
        expect(results.filter((result) => result !== 'owner').every((result) => result === 'conflict')).toBe(
          true,
        );
        return results.filter((result) => result === 'owner').length;
      });
      const histogram = {
        none: owners.filter((n) => n === 0).length,
        double: owners.filter((n) => n > 1).length,
      };
      expect(histogram).toEqual({ none: 0, double: 0 });
      // Every trial's lock names its one winner, and no takeover guard or temporary file is left behind.
      for (let trial = 0; trial < trials; trial++) {
        expect(readdirSync(join(dir, String(trial))).filter((name) => name.includes('.lock.'))).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

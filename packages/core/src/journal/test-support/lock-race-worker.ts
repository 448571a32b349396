// One of several processes racing for the same stale journal locks (see
// file-journal-lock-race.test.ts). For each trial it waits at a barrier until
// every racer is ready, tries to take the trial's lock, and records the outcome
// in a file the test counts. Winners keep their lock: they stay alive, so the
// others must see it as held, not stale.
//
//   node --import tsx lock-race-worker.ts <file-journal module> <dir> <racer> <racers> <trials>
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modulePath, dir, racer, racers, trials] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const { createFileJournal } = (await import(
  pathToFileURL(modulePath).href
)) as typeof import('../file-journal.js');

const nap = new Int32Array(new SharedArrayBuffer(4));
const ready = (trialDir: string) => readdirSync(trialDir).filter((name) => name.startsWith('ready-')).length;
for (let trial = 0; trial < Number(trials); trial++) {
  const trialDir = join(dir, String(trial));
  writeFileSync(join(trialDir, `ready-${racer}`), '');
  while (ready(trialDir) < Number(racers)) {
    // Poll every 50 µs: racers leave the barrier within microseconds of each other,
    // without spinning so hard that three of them starve a two-core machine.
    Atomics.wait(nap, 0, 0, 0.05);
  }
  const taken = await createFileJournal(join(trialDir, 'run.jsonl')).acquireLock('plan', `racer-${racer}`);
  writeFileSync(join(trialDir, `result-${racer}`), taken.isOk() ? 'owner' : taken.error.kind);
}

// The write-behind lines of every file journal in the process are written at its exit
// (even by `process.exit`): the write-behind timer does not hold the process open.
// The registry is kept on `globalThis`, so that two copies of core share one listener.

const unwrittenKey = Symbol.for('@failover/core:file-journal-unwritten');
type Registry = { [unwrittenKey]?: Set<() => void> };

/** Runs `write` at the process's exit, unless `writtenBeforeExit(write)` comes first. */
export function writeAtExit(write: () => void): void {
  const registry = globalThis as Registry;
  let writes = registry[unwrittenKey];
  if (!writes) {
    const created = new Set<() => void>();
    registry[unwrittenKey] = created;
    process.on('exit', () => {
      for (const pendingWrite of [...created]) pendingWrite();
    });
    writes = created;
  }
  writes.add(write);
}

/** `write` has nothing left to write: the exit need not call it. */
export function writtenBeforeExit(write: () => void): void {
  (globalThis as Registry)[unwrittenKey]?.delete(write);
}

// Counts the file journal's system calls from inside the bench process: every fdatasync
// (and the CPU it cost, user + system) and every write (and its bytes). The journal imports
// `node:fs` by name; `syncBuiltinESMExports` makes those bindings see the wrappers.
// `skipSyncs` turns fdatasync into a no-op: what the journal costs besides its syncs.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

/** Journal I/O since the counter was installed or last read. */
export interface JournalIo {
  syncs: number;
  /** CPU (user + system) spent inside fdatasync, µs. */
  syncCpuMicros: number;
  writes: number;
  bytes: number;
}

/** Wraps fs's fdatasyncSync and writeSync; `take()` returns the counts and starts again from zero. */
export function countJournalIo(options: { skipSyncs?: boolean } = {}): { take(): JournalIo } {
  let io: JournalIo = { syncs: 0, syncCpuMicros: 0, writes: 0, bytes: 0 };
  const fdatasyncSync = fs.fdatasyncSync;
  const writeSync = fs.writeSync as (...args: unknown[]) => number;
  fs.fdatasyncSync = (fd: number) => {
    io.syncs++;
    if (options.skipSyncs) return;
    const before = process.cpuUsage();
    fdatasyncSync(fd);
    const used = process.cpuUsage(before);
    io.syncCpuMicros += used.user + used.system;
  };
  (fs as { writeSync: unknown }).writeSync = (...args: unknown[]) => {
    const written = writeSync(...args);
    io.writes++;
    io.bytes += written;
    return written;
  };
  syncBuiltinESMExports();
  return {
    take() {
      const taken = io;
      io = { syncs: 0, syncCpuMicros: 0, writes: 0, bytes: 0 };
      return taken;
    },
  };
}

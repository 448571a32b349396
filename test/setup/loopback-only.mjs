// Every test process may talk to loopback only (127.0.0.0/8, ::1, localhost):
// tests and examples run against @failover/emulator, and nothing may ever reach
// a real cloud endpoint, even by mistake (an SDK client left without its emulator
// endpoint). Loaded by vitest's setupFiles into every test worker, and through
// NODE_OPTIONS into every Node process a test spawns (the CLI, the emulator).
//
// It patches net.Socket#connect, under which every TCP client of Node sits
// (http, https, tls, fetch/undici, the cloud SDKs): a connection to any other
// host fails with an error before any DNS lookup or packet is sent.
import { isIP, Socket } from 'node:net';

const marker = Symbol.for('@failover/test/loopback-only');

/** Whether `host` (a name or an address) is this machine. */
export function isLoopbackHost(host) {
  const bare = String(host)
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  const family = isIP(bare);
  if (family === 4) return bare.startsWith('127.');
  if (family === 6) return bare === '::1' || /^::ffff:127\./.test(bare) || bare === '0:0:0:0:0:0:0:1';
  return bare === 'localhost' || bare.endsWith('.localhost');
}

/** Where a `Socket#connect(...)` call goes: `{ host, port }`, or `{ path }` for a local socket. */
function targetOf(args) {
  // net.connect() hands the socket its normalized arguments as one array.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) {
    // As net does: a (non-empty) path is a local socket, whatever `host` says.
    if (first.path) return { path: first.path };
    return { host: first.host ?? 'localhost', port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

if (!Socket.prototype[marker]) {
  const connect = Socket.prototype.connect;
  Socket.prototype.connect = function loopbackOnlyConnect(...args) {
    const target = targetOf(args);
    if (target.path || isLoopbackHost(target.host)) return connect.apply(this, args);
    const error = new Error(
      `Test guard: refused a connection to ${target.host}:${target.port}; tests may reach loopback only (use the emulator).`,
    );
    error.code = 'ERR_TEST_NON_LOOPBACK';
    process.stderr.write(`${error.message}\n`);
    // As a failed connect does: the error arrives asynchronously, on a socket that never opened.
    this.connecting = true;
    process.nextTick(() => this.destroy(error));
    return this;
  };
  Object.defineProperty(Socket.prototype, marker, { value: true });
}

// Child processes get the guard too (spawned with the parent's environment).
const self = new URL(import.meta.url).href;
if (!(process.env.NODE_OPTIONS ?? '').includes(self)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${self}`.trim();
}

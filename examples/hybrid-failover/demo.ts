// The hybrid failover, start to end, on the embedded emulator and loopback endpoints:
//
//   node --conditions=@failover/source --import tsx examples/hybrid-failover/demo.ts
//
// 1. A loopback "us-east-1 API" answers healthy; `failover watch` evaluates (NO_ACTION).
// 2. The API goes down from every vantage point: after 3 failed rounds every critical check
//    has failed: AUTOMATIC_FAILOVER. The plan runs: Route 53 switches to us-west-2 on its own.
// 3. The promotion's approval waits: the webhook receives "waits for approval" with the
//    command; the demo grants it as an operator would (`--grant approve-promotion`).
// 4. Aurora is promoted in us-west-2; the watch ends (--exit-after-run).
// The loopback webhook receiver prints every notification it got, verified with its HMAC.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { type CliIo, runCli } from '@failover/cli';
import {
  type Notification,
  type SignedWebhookBody,
  verifyWebhookSignature,
  type WatchJournalEntry,
} from '@failover/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const planPath = join(here, 'plan.ts');
const providersPath = join(here, 'providers.ts');
const secret = 'hybrid-demo-secret';

/** What the demo saw: the exit code, the notifications in order, the watch journal, the output. */
export interface HybridDemoOutcome {
  exitCode: number;
  notifications: Notification[];
  journal: WatchJournalEntry[];
  stdout: string;
  stderr: string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function bufferIo(env: Record<string, string>): { io: CliIo; text: { stdout: string; stderr: string } } {
  const text = { stdout: '', stderr: '' };
  const sink = (key: 'stdout' | 'stderr') =>
    new Writable({
      write(chunk, _encoding, done) {
        text[key] += String(chunk);
        done();
      },
    });
  return {
    io: { stdout: sink('stdout'), stderr: sink('stderr'), stdin: new PassThrough(), isTTY: false, env },
    text,
  };
}

/** Runs the story; `timeScale` is emulated time per real time (60: a 10 s check interval is ~170 ms). */
export async function runHybridDemo(options: { timeScale?: number } = {}): Promise<HybridDemoOutcome> {
  let apiHealthy = true;
  const api = createServer((request, response) => {
    const checkout = request.url?.startsWith('/checkout') ?? false;
    response.writeHead(apiHealthy ? 200 : 503, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ status: apiHealthy ? 'pass' : 'fail', service: checkout ? 'checkout' : 'api' }),
    );
  });
  const notifications: Notification[] = [];
  let onNotification: (notification: Notification) => void = () => {};
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        timestamp: request.headers['x-failover-timestamp'] as string | undefined,
        signature: request.headers['x-failover-signature'] as string | undefined,
      };
      const verified = await verifyWebhookSignature(secret, headers, body);
      response.writeHead(verified ? 204 : 401).end();
      if (!verified) return;
      const { notification } = JSON.parse(body) as SignedWebhookBody;
      notifications.push(notification);
      onNotification(notification);
    });
  });
  const [apiUrl, receiverUrl] = await Promise.all([listen(api), listen(receiver)]);
  const directory = mkdtempSync(join(tmpdir(), 'hybrid-failover-'));
  const journalPath = join(directory, 'watch.jsonl');
  const env = {
    HYBRID_API_URL: apiUrl,
    HYBRID_WEBHOOK_URL: `${receiverUrl}/hooks/failover`,
    HYBRID_WEBHOOK_SECRET: secret,
  };
  Object.assign(process.env, env);
  const { io, text } = bufferIo(env);
  try {
    // The promotion waits for a human: grant it once its notification arrives.
    onNotification = (notification) => {
      if (notification.stage === 'approval-needed' && notification.stepId === 'approve-promotion') {
        void runCli(
          ['watch', planPath, '--journal', journalPath, '--grant', 'approve-promotion'],
          bufferIo(env).io,
        );
      }
    };
    const watching = runCli(
      [
        'watch',
        planPath,
        '--providers',
        providersPath,
        '--emulator',
        '--time-scale',
        String(options.timeScale ?? 60),
        '--journal',
        journalPath,
        '--exit-after-run',
      ],
      io,
    );
    // us-east-1 serves for a while (real time), then its API goes dark from everywhere.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    apiHealthy = false;
    const exitCode = await watching;
    const journal = readFileSync(journalPath, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as WatchJournalEntry);
    return { exitCode, notifications, journal, stdout: text.stdout, stderr: text.stderr };
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
    api.closeAllConnections();
    receiver.closeAllConnections();
    await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => receiver.close(r))]);
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outcome = await runHybridDemo();
  process.stdout.write(outcome.stdout);
  process.stdout.write(`\nNotifications the webhook received (signatures verified):\n`);
  for (const n of outcome.notifications) process.stdout.write(`- [${n.stage ?? n.severity}] ${n.title}\n`);
  process.exitCode = outcome.exitCode;
}

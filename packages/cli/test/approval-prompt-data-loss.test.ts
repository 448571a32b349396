// The terminal prompt of a forced promotion's approval, in a drill on the emulator: the
// person approving reads the replication lag the AWS adapter reports before answering.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { exitCodes, runCli } from '../src/index.js';
import { bufferIo } from './cli-harness.js';

describe('the approval prompt of a forced promotion', () => {
  it('shows the data-loss window read from the emulator before asking', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const { io, text } = bufferIo({ isTTY: true, columns: 100, env: { NO_COLOR: '1' }, stdin });
    const answered = setInterval(() => {
      if (text.stderr.includes('[y/N]')) {
        stdin.write('y\n');
        clearInterval(answered);
      }
    }, 5);
    const code = await runCli(
      [
        'drill',
        'examples/aws-aurora-route53/forced-plan.ts',
        '--providers',
        'examples/aws-aurora-route53/providers.ts',
      ],
      io,
    );
    clearInterval(answered);
    expect(code, text.stderr).toBe(exitCodes.success);
    const prompt = text.stderr.slice(text.stderr.indexOf('? Approve step "approve-data-loss"'));
    const [question, line, answer] = prompt.split('\n');
    expect(question).toMatch(/^\? Approve step "approve-data-loss": /);
    expect(line).toMatch(
      /^ {2}ecommerce-global: forced promotion loses up to 40 ms of writes \(lag observed \d\d:\d\d:\d\dZ(; RPO .*)?\)$/,
    );
    expect(answer).toMatch(/^\[y\/N\] /);
  }, 60_000);
});

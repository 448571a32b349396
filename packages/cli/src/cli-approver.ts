import { userInfo } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { ApprovalRequest, Approver } from '@failover/core';
import type { CliOutput } from './cli-io.js';
import { printable } from './printable.js';
import { printableApprovalText } from './printable-approval-text.js';

export interface CliApproverOptions {
  /** Step ids given with `--approve`. */
  approved: ReadonlySet<string>;
  /** `--yes`: every approval step is approved. */
  yes: boolean;
  /** Asks on the terminal; absent when stdin is not a TTY. */
  prompt?: Approver;
}

/**
 * `--yes` and `--approve <step>` answer first; then the terminal prompt, if
 * there is one; otherwise the approval is denied with what to pass next time.
 */
export function cliApprover({ approved, yes, prompt }: CliApproverOptions): Approver {
  return async (request) => {
    if (yes) return { approved: true, by: '--yes' };
    if (approved.has(request.stepId)) return { approved: true, by: `--approve ${request.stepId}` };
    if (prompt) return prompt(request);
    return {
      approved: false,
      reason: `Step ${request.stepId} needs approval; pass --approve ${request.stepId} or --yes.`,
    };
  };
}

/**
 * Asks "Approve step X?" on the terminal (one question at a time when
 * parallel approvals come in), under the data-loss window of each forced
 * promotion the step gates. Only `y` or `yes` approves; the step's timeout
 * or a cancelled run closes the question as a denial.
 */
export function ttyApprover(options: {
  input: NodeJS.ReadableStream;
  output: CliOutput;
  /** Called around the question, so a live view does not draw over it. */
  pause(): void;
  resume(): void;
}): Approver {
  let queue: Promise<unknown> = Promise.resolve();
  const who = operatorName();
  return (request) => {
    const asked = queue.then(async () => {
      if (request.abortSignal.aborted)
        return { approved: false as const, reason: 'The approval was cancelled.' };
      options.pause();
      // Not `terminal`: the TTY stays in cooked mode, so it echoes and edits the line itself
      // and Ctrl-C still reaches the process as SIGINT, which cancels the run.
      const rl = createInterface({
        input: options.input,
        output: options.output as NodeJS.WritableStream,
        terminal: false,
      });
      try {
        const answer = await rl.question(question(request), { signal: request.abortSignal });
        return /^(y|yes)$/i.test(answer.trim())
          ? { approved: true as const, by: who }
          : { approved: false as const, reason: `Denied at the prompt by ${who}.` };
      } catch {
        return {
          approved: false as const,
          reason: 'No answer before the approval timed out or the run stopped.',
        };
      } finally {
        rl.close();
        options.resume();
      }
    });
    queue = asked;
    return asked;
  };
}

/**
 * `Approve step "x": <message>`, then one line per forced promotion the step gates
 * (how much it may lose, or that nobody knows), then `[y/N]`.
 */
function question(request: ApprovalRequest): string {
  const gates = request.dataLoss !== undefined && request.dataLoss.length > 0;
  return `\n? Approve step "${printable(request.stepId)}": ${printableApprovalText(request)}${gates ? '\n' : ' '}[y/N] `;
}

function operatorName(): string {
  try {
    return `${userInfo().username} (terminal)`;
  } catch {
    return 'terminal';
  }
}

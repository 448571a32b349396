import { type JsonPathAssertion, readJsonPath } from './json-path.js';

/** What an HTTP probe expects of an answer. Every field given must hold. */
export interface HttpExpectation {
  /** Default: any 2xx. */
  expectStatus?: number;
  /** A substring the body must contain. */
  bodyIncludes?: string;
  /** Values the JSON body must hold at these paths (`$.status`, `$.checks[0].ok`). */
  json?: JsonPathAssertion[];
  /** The answer must come within this many milliseconds. */
  maxLatencyMs?: number;
}

/** One HTTP answer as a probe runner saw it. */
export interface HttpAnswer {
  status: number;
  /** The body as text, cut to a bounded size by the runner. */
  body: string;
  latencyMs: number;
}

/** Whether an answer meets the expectation, and one sentence saying so (no body content beyond the failing part). */
export function meetsHttpExpectation(
  answer: HttpAnswer,
  expectation: HttpExpectation,
): { passed: boolean; detail: string } {
  const status = expectation.expectStatus;
  if (status === undefined ? answer.status < 200 || answer.status > 299 : answer.status !== status) {
    return { passed: false, detail: `answered ${answer.status}, expected ${status ?? '2xx'}` };
  }
  if (expectation.bodyIncludes !== undefined && !answer.body.includes(expectation.bodyIncludes)) {
    return { passed: false, detail: `body does not contain ${JSON.stringify(expectation.bodyIncludes)}` };
  }
  if (expectation.json && expectation.json.length > 0) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      return { passed: false, detail: 'body is not JSON' };
    }
    for (const assertion of expectation.json) {
      const found = readJsonPath(parsed, assertion.path);
      if (!found.found || !sameJson(found.value, assertion.equals)) {
        const actual = found.found ? JSON.stringify(found.value) : 'nothing';
        return {
          passed: false,
          detail: `${assertion.path} is ${actual}, expected ${JSON.stringify(assertion.equals)}`,
        };
      }
    }
  }
  if (expectation.maxLatencyMs !== undefined && answer.latencyMs > expectation.maxLatencyMs) {
    return {
      passed: false,
      detail: `answered in ${answer.latencyMs} ms, expected at most ${expectation.maxLatencyMs} ms`,
    };
  }
  return { passed: true, detail: `answered ${answer.status} in ${answer.latencyMs} ms` };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

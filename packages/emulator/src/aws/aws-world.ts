import type { EmulatorRequest, EmulatorResponse } from '../server/emulator-types.js';
import type { AwsSeed } from './aws-seed.js';
import { readSigV4 } from './aws-sigv4.js';

/** Facts every AWS service of the emulator shares. */
export interface AwsWorld {
  accountId: string;
  unreachableRegions: ReadonlySet<string>;
}

export function createAwsWorld(seed: AwsSeed): AwsWorld {
  return {
    accountId: seed.accountId ?? '123456789012',
    unreachableRegions: new Set(seed.unreachableRegions ?? []),
  };
}

/** How one protocol names its authentication errors. */
export interface AuthErrorCodes {
  missing: string;
  malformed: string;
  wrongService: string;
  unreachable: string;
}

export const xmlAuthCodes: AuthErrorCodes = {
  missing: 'MissingAuthenticationToken',
  malformed: 'IncompleteSignature',
  wrongService: 'SignatureDoesNotMatch',
  unreachable: 'ServiceUnavailable',
};

export const jsonAuthCodes: AuthErrorCodes = {
  missing: 'MissingAuthenticationTokenException',
  malformed: 'IncompleteSignatureException',
  wrongService: 'InvalidSignatureException',
  unreachable: 'ServiceUnavailableException',
};

/**
 * The region a request addresses, from its SigV4 credential scope; or the
 * error AWS gives a request that is unsigned, badly signed, or sent to a
 * region that is down.
 */
export function authorize(
  request: EmulatorRequest,
  world: AwsWorld,
  signingName: string,
  codes: AuthErrorCodes,
  error: (status: number, code: string, message: string) => EmulatorResponse,
): { region: string } | EmulatorResponse {
  const signature = readSigV4(request.headers, request.query, signingName);
  if (!signature.ok) {
    const code =
      signature.problem === 'missing'
        ? codes.missing
        : signature.problem === 'malformed'
          ? codes.malformed
          : codes.wrongService;
    return error(403, code, signature.message);
  }
  const { region } = signature.scope;
  if (world.unreachableRegions.has(region)) {
    return error(503, codes.unreachable, `The service is unavailable in ${region}. Please try again later.`);
  }
  return { region };
}

export const isResponse = (value: { region: string } | EmulatorResponse): value is EmulatorResponse =>
  'status' in value;

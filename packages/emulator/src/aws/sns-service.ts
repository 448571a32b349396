import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { queryResponse, requestId, xmlError } from './aws-responses.js';
import { type AwsWorld, authorize, isResponse, xmlAuthCodes } from './aws-world.js';
import type { SnsSeed } from './sns-seed.js';

const namespace = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** A message an SNS topic accepted, as the emulator keeps it for tests to read. */
export interface SnsPublishedMessage {
  messageId: string;
  topicArn: string;
  region: string;
  message: string;
  subject?: string;
  /** String message attributes, by name. */
  attributes: Record<string, string>;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** Emulator clock time it was accepted. */
  at: number;
  /** FIFO topics only. */
  sequenceNumber?: string;
}

/** The SNS service, with what its topics received. */
export interface SnsEmulatorService extends EmulatorService {
  readonly published: readonly SnsPublishedMessage[];
}

class SnsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * SNS over the Query protocol (form-encoded `Action=Publish`, XML answers and
 * errors, signing name `sns`) at `/aws/sns`: Publish to seeded standard and FIFO
 * topics (a `.fifo` name, no content-based deduplication: a `MessageDeduplicationId` is
 * required, and a repeat within 5 minutes is accepted once). The messages are kept in `published`. Errors as the
 * service's model declares them: `InvalidParameter` 400, `NotFound` 404,
 * `Throttled` 429 (a throttling fault), `InternalError` 500.
 */
export function createSnsService(
  context: ServiceContext,
  world: AwsWorld,
  seed: SnsSeed = {},
): SnsEmulatorService {
  const id = () => requestId(context.random);
  const error = (status: number, code: string, message: string) =>
    xmlError(status, code, message, { namespace, id: id() });
  const topics = new Set(
    (seed.topics ?? []).map((topic) => `arn:aws:sns:${topic.region}:${world.accountId}:${topic.name}`),
  );
  const published: SnsPublishedMessage[] = [];
  let sequence = 10_000_000_000_000_000_000n;

  function publish(params: URLSearchParams, region: string, now: number) {
    const topicArn = params.get('TopicArn') ?? params.get('TargetArn');
    if (params.get('PhoneNumber')) {
      throw new SnsError(
        400,
        'InvalidParameter',
        'Invalid parameter: PhoneNumber Reason: SMS is not served by the emulator',
      );
    }
    if (!topicArn) {
      throw new SnsError(
        400,
        'InvalidParameter',
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    }
    const message = params.get('Message');
    if (message === null || message === '')
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Empty message');
    const arnParts = topicArn.split(':');
    if (arnParts.length !== 6 || arnParts[0] !== 'arn' || arnParts[2] !== 'sns') {
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: TopicArn');
    }
    // A topic is addressed at its own region's endpoint.
    if (arnParts[3] !== region) throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: TopicArn');
    if (!topics.has(topicArn)) throw new SnsError(404, 'NotFound', 'Topic does not exist');
    const subject = params.get('Subject') ?? undefined;
    if (subject !== undefined && (subject.length === 0 || subject.length > 100 || /[\r\n]/.test(subject))) {
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Subject');
    }
    if (Buffer.byteLength(message, 'utf8') > 262_144) {
      throw new SnsError(400, 'InvalidParameter', 'Invalid parameter: Message too long');
    }
    const fifo = topicArn.endsWith('.fifo');
    const groupId = params.get('MessageGroupId') ?? undefined;
    const dedupId = params.get('MessageDeduplicationId') ?? undefined;
    if (fifo && !groupId) {
      throw new SnsError(
        400,
        'InvalidParameter',
        'Invalid parameter: The MessageGroupId parameter is required for FIFO topics',
      );
    }
    // FIFO topics drop a message whose deduplication id they accepted in the last 5 minutes,
    // answering as for the first: a resend after a lost answer is harmless.
    if (fifo && dedupId !== undefined) {
      const earlier = published.find(
        (m) => m.topicArn === topicArn && m.messageDeduplicationId === dedupId && now - m.at < 300_000,
      );
      if (earlier) return { MessageId: earlier.messageId, SequenceNumber: earlier.sequenceNumber ?? '0' };
    }
    if (fifo && dedupId === undefined) {
      throw new SnsError(
        400,
        'InvalidParameter',
        'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    const messageId = globalThis.crypto.randomUUID();
    if (fifo) sequence += 1n;
    published.push({
      messageId,
      topicArn,
      region,
      message,
      ...(subject !== undefined && { subject }),
      attributes: readAttributes(params),
      ...(groupId !== undefined && { messageGroupId: groupId }),
      ...(dedupId !== undefined && { messageDeduplicationId: dedupId }),
      at: now,
      ...(fifo && { sequenceNumber: sequence.toString() }),
    });
    if (!fifo) return { MessageId: messageId };
    return { MessageId: messageId, SequenceNumber: sequence.toString() };
  }

  return {
    id: 'aws.sns',
    cloud: 'aws',
    mount: '/aws/sns',
    published,
    route(request) {
      const auth = authorize(request, world, 'sns', xmlAuthCodes, error);
      if (isResponse(auth)) return auth;
      if (request.path !== '/' || request.method !== 'POST') {
        return error(
          404,
          'UnknownOperationException',
          `No SNS operation matches ${request.method} ${request.path}.`,
        );
      }
      const params = new URLSearchParams(request.body);
      const action = params.get('Action');
      if (!action) return error(400, 'MissingAction', 'The request must contain the parameter Action.');
      if (action !== 'Publish') {
        return error(400, 'InvalidAction', `The emulator does not implement the SNS action ${action}.`);
      }
      const { region } = auth;
      return {
        operation: action,
        mutating: true,
        region,
        handle: () => {
          try {
            return queryResponse(action, namespace, publish(params, region, context.clock.now()), id());
          } catch (thrown) {
            if (thrown instanceof SnsError) return error(thrown.status, thrown.code, thrown.message);
            throw thrown;
          }
        },
      };
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled') return error(429, 'Throttled', detail.message);
      if (kind === 'server-error') return error(500, 'InternalError', detail.message);
      return error(400, 'InvalidParameter', detail.message);
    },
  };
}

/** `MessageAttributes.entry.N.Name` / `.Value.StringValue`, string and number types. */
function readAttributes(params: URLSearchParams): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; ; n++) {
    const name = params.get(`MessageAttributes.entry.${n}.Name`);
    if (name === null) return attributes;
    const value = params.get(`MessageAttributes.entry.${n}.Value.StringValue`);
    if (value !== null) attributes[name] = value;
  }
}

/** The SNS service of a running emulator's services, when it has one. */
export function findSnsService(services: readonly EmulatorService[]): SnsEmulatorService | undefined {
  return services.find(
    (service): service is SnsEmulatorService => service.id === 'aws.sns' && 'published' in service,
  );
}

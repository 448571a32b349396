import type { MessageAttributeValue, PublishCommandInput, SNSClient } from '@aws-sdk/client-sns';
import { attempt, errAsync, FailoverError, type Notification, type NotifierV1 } from '@failover/core';
import { mapAwsError } from './aws-error.js';
import type { AwsClientConfig, AwsCredentials } from './aws-settings.js';

/** Settings of `snsNotifier`. */
export interface SnsNotifierSettings {
  /** `arn:aws:sns:<region>:<account>:<name>`; a `.fifo` topic gets a deduplication id per message. */
  topicArn: string;
  /** Default: the topic's region (a topic is published to in its own region). */
  region?: string;
  /** Default: the SDK's default credential chain. */
  credentials?: AwsCredentials;
  /** The SNS endpoint (tests: the emulator's `aws.sns`). Default: the SDK's. */
  endpoint?: string;
  clientConfig?: AwsClientConfig;
  /** Escape hatch: the client to publish with. */
  client?: () => SNSClient;
}

const provider = 'aws.sns';
const operation = 'Publish';

/**
 * Publishes each notification to an SNS topic (e-mail, SMS, chat and paging
 * subscriptions fan out from there): the title as `Subject` (ASCII, 100
 * characters at most), title, message and facts as `Message`, and `stage`,
 * `severity`, `planId`, `runId` as message attributes for subscription filters.
 * On a FIFO topic the deduplication id is the run and step, so a resend after a
 * lost answer is dropped by SNS; the group is the run. The SDK's own retries are
 * off: `deliverNotification` retries within the run's budget.
 */
export function snsNotifier(settings: SnsNotifierSettings): NotifierV1 {
  const region = settings.region ?? settings.topicArn.split(':')[3];
  const fifo = settings.topicArn.endsWith('.fifo');
  let client: Promise<SNSClient> | undefined;
  const getClient = () => {
    client ??= settings.client
      ? Promise.resolve(settings.client())
      : import('@aws-sdk/client-sns').then(
          ({ SNSClient }) =>
            new SNSClient({
              ...settings.clientConfig,
              maxAttempts: 1,
              ...(region && { region }),
              ...(settings.credentials && { credentials: settings.credentials }),
              ...(settings.endpoint && { endpoint: settings.endpoint }),
            }),
        );
    return client;
  };
  return {
    specificationVersion: 'v1',
    name: provider,
    send(notification, options = {}) {
      if (!region) {
        return errAsync(
          new FailoverError({
            kind: 'invalid-input',
            message: 'The SNS topic ARN names no region.',
            provider,
            operation,
          }),
        );
      }
      const input = publishInput(settings.topicArn, notification, fifo);
      return attempt(
        async () => {
          const [{ PublishCommand }, sns] = await Promise.all([import('@aws-sdk/client-sns'), getClient()]);
          await sns.send(new PublishCommand(input), {
            ...(options.abortSignal && { abortSignal: options.abortSignal }),
          });
        },
        { provider, operation },
        (thrown) => mapAwsError(thrown, { provider, operation }),
      );
    },
  };
}

/** The Publish request for one notification. */
export function publishInput(
  topicArn: string,
  notification: Notification,
  fifo: boolean,
): PublishCommandInput {
  const facts = Object.entries(notification.facts ?? {}).map(([label, value]) => `${label}: ${value}`);
  const body = [
    notification.title,
    ...(notification.message && notification.message !== notification.title
      ? ['', notification.message]
      : []),
    ...(facts.length > 0 ? ['', ...facts] : []),
    '',
    `plan ${notification.planId} / run ${notification.runId}`,
  ].join('\n');
  const attributes: Record<string, MessageAttributeValue> = {
    severity: { DataType: 'String', StringValue: notification.severity },
    planId: { DataType: 'String', StringValue: notification.planId },
    runId: { DataType: 'String', StringValue: notification.runId },
    ...(notification.stage && { stage: { DataType: 'String', StringValue: notification.stage } }),
  };
  return {
    TopicArn: topicArn,
    Subject: snsSubject(notification.title),
    Message: body,
    MessageAttributes: attributes,
    ...(fifo && {
      MessageGroupId: snsId(notification.dedupKey),
      MessageDeduplicationId: snsId(
        `${notification.runId}/${notification.stepId}/${notification.stage ?? 'message'}`,
      ),
    }),
  };
}

/** SNS subjects: printable ASCII, no line break, at most 100 characters. */
function snsSubject(title: string): string {
  const ascii = title.replace(/[^\x20-\x7e]/g, '?').trim();
  return (ascii.length > 100 ? `${ascii.slice(0, 97)}...` : ascii) || 'Failover notification';
}

/** Group and deduplication ids: at most 128 of letters, digits and punctuation. */
function snsId(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, '_').slice(0, 128);
}

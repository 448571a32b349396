/** The headers of a signed webhook. */
export const webhookTimestampHeader = 'x-failover-timestamp';
export const webhookSignatureHeader = 'x-failover-signature';

/**
 * `v1=` and the hex HMAC-SHA256, keyed with the secret, of `<timestamp>.<body>`
 * (timestamp in Unix seconds, body as sent). Web Crypto, so it runs anywhere.
 */
export async function signWebhook(secret: string, timestamp: number, body: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(`${timestamp}.${body}`));
  return `v1=${[...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** Options of `verifyWebhookSignature`. */
export interface VerifyWebhookOptions {
  /** Receiver's clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Oldest (and newest) accepted timestamp, as distance from now. Default 5 minutes. */
  toleranceMs?: number;
}

/**
 * For receivers: true when the signature matches the body and the timestamp is
 * within the tolerance (an old message replayed is refused). Constant-time compare.
 */
export async function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | null | undefined; signature: string | null | undefined },
  body: string,
  options: VerifyWebhookOptions = {},
): Promise<boolean> {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const now = (options.now ?? Date.now)();
  if (Math.abs(now - timestamp * 1000) > (options.toleranceMs ?? 300_000)) return false;
  const expected = await signWebhook(secret, timestamp, body);
  if (expected.length !== headers.signature.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++)
    difference |= expected.charCodeAt(i) ^ headers.signature.charCodeAt(i);
  return difference === 0;
}

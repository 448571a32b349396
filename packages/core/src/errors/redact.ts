// Secrets must never reach logs, events, reports or errors. Error messages from
// SDKs sometimes echo headers, signed URLs or credential strings; these patterns
// strip the values and keep the shape so the message stays readable.
const patterns: ReadonlyArray<[RegExp, string]> = [
  [
    /(authorization["']?\s*[:=]\s*["']?)(bearer|basic|aws4-hmac-sha256)?\s*[^"',\s}]+[^"',}]*/gi,
    '$1[redacted]',
  ],
  [/\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi, '$1 [redacted]'],
  [/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '[redacted-access-key]'],
  [
    /((?:secret|password|passwd|token|sig|signature|x-amz-security-token|x-amz-signature|client_secret|access_token|refresh_token|accountkey|sharedaccesskey)["']?\s*[:=]\s*["']?)[^"'&\s,;}]+/gi,
    '$1[redacted]',
  ],
  [/(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g, '$1[redacted]$2'],
];

/** Returns `text` with credentials, tokens and signatures replaced by `[redacted]`. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
}

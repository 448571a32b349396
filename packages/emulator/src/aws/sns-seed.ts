/** SNS topics the emulator starts with. */
export interface SnsSeed {
  topics?: SnsTopicSeed[];
}

/** One topic; its ARN is `arn:aws:sns:<region>:<account>:<name>`. */
export interface SnsTopicSeed {
  name: string;
  region: string;
}

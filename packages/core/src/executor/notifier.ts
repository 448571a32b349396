/** Delivers `notify` steps (Slack, a status page, stdout). A failure is reported, never fatal. */
export type Notifier = (message: {
  planId: string;
  stepId: string;
  channel: string;
  message: string;
}) => Promise<void>;

/**
 * The first notifier shape: a function that throws on failure. Still accepted
 * everywhere a notifier is (see `toNotifierV1`); new code implements `NotifierV1`.
 */
export type Notifier = (message: {
  planId: string;
  stepId: string;
  channel: string;
  message: string;
}) => Promise<void>;

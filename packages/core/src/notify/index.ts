export { type AnyNotifier, isNotifierV1 } from './any-notifier.js';
export { checkNotifyBinding } from './check-notify-binding.js';
export {
  type DeliverNotificationOptions,
  defaultNotificationRetry,
  deliverNotification,
  type NotificationDelivery,
} from './deliver-notification.js';
export { type Notification, type NotificationSeverity, runDedupKey } from './notification.js';
export type { NotificationData } from './notification-data.js';
export { isNotificationStage, type NotificationStage, notificationStages } from './notification-stage.js';
export {
  defaultNotificationTemplates,
  type NotificationTemplate,
  type NotificationTemplates,
  type RenderedNotification,
  renderNotification,
} from './notification-templates.js';
export type { NotifierSendOptions, NotifierV1 } from './notifier-v1.js';
export {
  type PagerDutyAction,
  type PagerDutyNotifierSettings,
  pagerDutyAction,
  pagerDutyNotifier,
} from './pagerduty-notifier.js';
export {
  postWebhook,
  type WebhookAnswer,
  type WebhookPost,
  type WebhookTransportSettings,
} from './post-webhook.js';
export { type NotificationRoutes, routeNotifications } from './route-notifications.js';
export {
  notifyRunEvents,
  type RunEventNotifications,
  type RunEventNotificationsOptions,
  type StageDelivery,
} from './run-event-notifications.js';
export {
  type SignedWebhookBody,
  type SignedWebhookNotifierSettings,
  signedWebhookNotifier,
} from './signed-webhook-notifier.js';
export { type SlackNotifierSettings, slackNotifier } from './slack-notifier.js';
export { type TeamsNotifierSettings, teamsNotifier } from './teams-notifier.js';
export { toNotifierV1 } from './to-notifier-v1.js';
export {
  signWebhook,
  type VerifyWebhookOptions,
  verifyWebhookSignature,
  webhookSignatureHeader,
  webhookTimestampHeader,
} from './webhook-signature.js';

import { formatDuration } from '../report/format-duration.js';
import type { NotificationSeverity } from './notification.js';
import type { NotificationData } from './notification-data.js';
import type { NotificationStage } from './notification-stage.js';

/** What a template produces. */
export interface RenderedNotification {
  title: string;
  message: string;
  severity: NotificationSeverity;
}

/**
 * A stage's wording: strings with `{placeholders}` naming `NotificationData`
 * fields (`{rto}` and `{elapsed}` are the elapsed time as `4m 12s`,
 * `{objectiveRto}` the objective), or a function of the data.
 */
export type NotificationTemplate =
  | { title: string; message: string; severity?: NotificationSeverity }
  | ((data: NotificationData) => RenderedNotification);

/** Templates by stage; an override replaces only the stages it names. */
export type NotificationTemplates = Readonly<Partial<Record<NotificationStage, NotificationTemplate>>>;

/** The runbooks' wording, one template per stage. */
export const defaultNotificationTemplates: Readonly<Record<NotificationStage, NotificationTemplate>> = {
  'incident-declared': {
    title: 'Incident declared: {planName}',
    message:
      '{message}\nPrimary region {sourceRegion} is impaired; standby region {targetRegion} is being prepared.',
    severity: 'critical',
  },
  'failover-started': {
    title: 'Failover started: {planName} ({sourceRegion} -> {targetRegion})',
    message: '{message}\nRun {runId}.',
    severity: 'critical',
  },
  'failover-completed': {
    title: 'Failover completed: {planName} serves from {targetRegion}',
    message: '{message}\nAchieved RTO {rto} (objective {objectiveRto}). Run {runId}.',
    severity: 'warning',
  },
  'failover-failed': {
    title: 'Failover FAILED: {planName} at step {failedStep}',
    message: '{error}\nElapsed {elapsed}. Run {runId}.',
    severity: 'critical',
  },
  'approval-needed': {
    title: 'Approval needed: {planName} waits on {stepId}',
    message: '{message}\nRun {runId}.',
    severity: 'critical',
  },
  // A failback plan runs from the DR region (its sourceRegion) back to the
  // original one (its targetRegion), as `failbackPlan` generates it.
  'failback-started': {
    title: 'Failback started: {planName} ({sourceRegion} -> {targetRegion})',
    message: '{message}\nRun {runId}.',
    severity: 'warning',
  },
  'failback-stage': {
    title: 'Failback stage: {planName}',
    message: '{message}\nElapsed {elapsed}. Run {runId}.',
    severity: 'info',
  },
  'failback-completed': {
    title: 'Failback completed: {planName} serves from {targetRegion}',
    message: '{message}\nElapsed {elapsed}. Run {runId}.',
    severity: 'info',
  },
  'all-clear': {
    title: 'All clear: {planName}',
    message: '{message}\nThe incident is over. Run {runId}.',
    severity: 'resolved',
  },
};

/** Fills the stage's template (the override's, else the default) with the run's data. */
export function renderNotification(
  stage: NotificationStage,
  data: NotificationData,
  overrides: NotificationTemplates = {},
): RenderedNotification {
  const template = overrides[stage] ?? defaultNotificationTemplates[stage];
  if (typeof template === 'function') return template(data);
  const values = placeholderValues(data);
  return {
    title: fill(template.title, values),
    message: fill(template.message, values),
    severity: template.severity ?? 'info',
  };
}

function placeholderValues(data: NotificationData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number') values[key] = String(value);
  }
  values.elapsed = data.elapsedMs === undefined ? 'unknown' : formatDuration(data.elapsedMs);
  values.rto = values.elapsed;
  values.objectiveRto = data.objectiveRtoMs === undefined ? 'none set' : formatDuration(data.objectiveRtoMs);
  return values;
}

function fill(text: string, values: Record<string, string>): string {
  const filled = text.replace(
    /\{(\w+)\}/g,
    (_, key: string) => values[key] ?? (key === 'message' ? '' : 'unknown'),
  );
  // A template line whose only placeholder was empty (no `{message}`) is dropped.
  return filled
    .split('\n')
    .filter((line) => line.trim() !== '')
    .join('\n');
}

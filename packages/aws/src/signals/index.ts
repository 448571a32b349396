export {
  type CloudWatchAlarmSourceOptions,
  createCloudWatchAlarmSource,
} from './cloudwatch-alarm-source.js';
export {
  type CloudWatchMetricSourceOptions,
  createCloudWatchMetricSource,
} from './cloudwatch-metric-source.js';
export {
  createRoute53HealthCheckSource,
  defaultCheckerRegions,
  type Route53HealthCheckSourceOptions,
} from './route53-health-check-source.js';

export * from './alert-events';
export * from './alert-lifecycle';
export * from './alert-thresholds-schema';
export * from './alert-windows';
export * from './compare-windows';
export * from './detect-drops';
export * from './evaluate-alerts';

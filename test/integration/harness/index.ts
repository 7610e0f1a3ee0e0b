/** The integration-test harness: `import { startTestRuntime } from './harness'`. */
export { type RequestOptions, startTestRuntime, type TestResponse, type TestRuntime } from './test-runtime';

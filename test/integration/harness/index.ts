/** The integration-test harness: `import { startTestRuntime } from './harness'`. */
export { startTestRuntime, type RequestOptions, type TestResponse, type TestRuntime } from './test-runtime';

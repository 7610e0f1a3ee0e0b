/**
 * functions/adapters/cloudwatch/client.ts: PutMetricData with its own bounded retry loop — what is
 * retried (throttling, 5xx, dropped connections) and what is not (a request CloudWatch refuses), how
 * long it waits (exponential back-off with full jitter), how many attempts it makes, and that the SDK
 * underneath does not retry as well. CloudWatch itself is replaced with aws-sdk-client-mock.
 */
import {
  CloudWatchClient,
  InternalServiceFault,
  InvalidParameterValueException,
  MissingRequiredParameterException,
  PutMetricDataCommand,
  type PutMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCloudWatchClient, isRetryable, putMetricData } from '../../../../functions/adapters/cloudwatch/client';

const cloudwatch = mockClient(CloudWatchClient);
afterAll(() => cloudwatch.restore());

const INPUT: PutMetricDataCommandInput = {
  Namespace: 'Rapport/Probe',
  MetricData: [
    { MetricName: 'Availability', Dimensions: [{ Name: 'Target', Value: 'rapport' }], Value: 1, Unit: 'None' },
    { MetricName: 'ProbeLatency', Dimensions: [{ Name: 'Target', Value: 'rapport' }], Value: 42, Unit: 'Milliseconds' },
  ],
};

/** What CloudWatch's query protocol throws when it throttles (error code `Throttling`). */
const throttled = () =>
  Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
const serverFault = () => new InternalServiceFault({ message: 'Internal failure', $metadata: { httpStatusCode: 500 } });
const invalid = () =>
  new InvalidParameterValueException({ message: 'The value -1 is not valid', $metadata: { httpStatusCode: 400 } });

describe('createCloudWatchClient', () => {
  it('tells the SDK not to retry, so attempts do not multiply under the loop', async () => {
    const client = createCloudWatchClient();
    try {
      expect(await client.config.maxAttempts()).toBe(1);
    } finally {
      client.destroy();
    }
  });
});

describe('putMetricData', () => {
  const client = new CloudWatchClient({ region: 'us-east-1' });
  let delays: number[];
  const sleep = async (ms: number) => {
    delays.push(ms);
  };
  const sent = () => cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);

  beforeEach(() => {
    cloudwatch.reset();
    delays = [];
  });
  afterEach(() => vi.restoreAllMocks());

  it('sends the metric data exactly as given, once, and reports one attempt', async () => {
    cloudwatch.on(PutMetricDataCommand).resolves({});
    expect(await putMetricData(client, INPUT, { sleep })).toBe(1);
    expect(sent()).toEqual([INPUT]);
    expect(delays).toEqual([]);
  });

  it('retries throttling, a 5xx and a dropped connection, then reports the attempts it took', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    cloudwatch
      .on(PutMetricDataCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(serverFault())
      .rejectsOnce(reset)
      .resolves({});
    expect(await putMetricData(client, INPUT, { maxAttempts: 4, sleep })).toBe(4);
    expect(sent()).toEqual([INPUT, INPUT, INPUT, INPUT]);
  });

  it('doubles the back-off ceiling each time and draws the wait below it (full jitter)', async () => {
    cloudwatch.on(PutMetricDataCommand).rejects(throttled());
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    await expect(putMetricData(client, INPUT, { maxAttempts: 4, baseDelayMs: 200, sleep })).rejects.toThrow(
      'Rate exceeded',
    );
    expect(delays).toEqual([100, 200, 400]);
  });

  it('gives up after four attempts by default and throws the last error', async () => {
    const last = serverFault();
    cloudwatch
      .on(PutMetricDataCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejects(last);
    const error = await putMetricData(client, INPUT, { sleep }).catch((e: unknown) => e);
    expect(error).toBe(last);
    expect(sent()).toHaveLength(4);
    expect(delays).toHaveLength(3);
  });

  it.each([
    ['an invalid value', invalid],
    [
      'a missing parameter',
      () => new MissingRequiredParameterException({ message: 'x', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a refused permission',
      () => Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    ],
  ])('does not retry %s: one attempt, the error as thrown', async (_, make) => {
    const refusal = make();
    cloudwatch.on(PutMetricDataCommand).rejects(refusal);
    expect(await putMetricData(client, INPUT, { sleep }).catch((e: unknown) => e)).toBe(refusal);
    expect(sent()).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('waits with real timers when no sleep is given', async () => {
    cloudwatch.on(PutMetricDataCommand).rejectsOnce(throttled()).resolves({});
    expect(await putMetricData(client, INPUT, { baseDelayMs: 1 })).toBe(2);
  });
});

describe('isRetryable', () => {
  it.each([
    ['Throttling (CloudWatch)', { name: 'Throttling' }],
    ['ThrottlingException', { name: 'ThrottlingException' }],
    ['RequestLimitExceeded', { name: 'RequestLimitExceeded' }],
    ['TimeoutError (SDK)', { name: 'TimeoutError' }],
    ['a 500', { name: 'InternalServiceFault', $metadata: { httpStatusCode: 500 } }],
    ['a 503', { name: 'Unknown', $metadata: { httpStatusCode: 503 } }],
    ['a 429', { name: 'Unknown', $metadata: { httpStatusCode: 429 } }],
    ['an SDK-marked retryable error', { name: 'Unknown', $retryable: {} }],
    ['ECONNRESET', { name: 'Error', code: 'ECONNRESET' }],
    ['ECONNREFUSED', { name: 'Error', code: 'ECONNREFUSED' }],
    ['ETIMEDOUT', { name: 'Error', code: 'ETIMEDOUT' }],
  ])('retries %s', (_, error) => {
    expect(isRetryable(error)).toBe(true);
  });

  it.each([
    ['InvalidParameterValue', { name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } }],
    ['a 403', { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }],
    ['a programming error', new TypeError('x is not a function')],
    ['a string', 'Throttling'],
    ['null', null],
  ])('does not retry %s', (_, error) => {
    expect(isRetryable(error)).toBe(false);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient, PutMetricDataCommand, type PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRetryable, putMetricData } from '../../../functions/adapters/cloudwatch/client';
import { handler, ProbeConfigError, probeConfigFrom } from '../../../functions/handlers/probe';

const cloudwatch = mockClient(CloudWatchClient);

/** A stand-in for the API on 127.0.0.1: one path per behaviour the probe must judge. */
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    switch (req.url) {
      case '/ok':
        return json(200, { status: 'ok', checks: { dynamodb: 'ok' }, time: new Date().toISOString() });
      case '/degraded':
        return json(503, { status: 'degraded', checks: { dynamodb: 'failing' } });
      case '/boom':
        return json(500, { type: 'internal' });
      case '/wrong-body':
        return json(200, { status: 'maintenance' });
      case '/not-json':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>ok</html>');
      case '/hang':
        return; // never answers
      default:
        return json(404, {});
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  cloudwatch.reset();
  cloudwatch.on(PutMetricDataCommand).resolves({});
  vi.stubEnv('METRICS_NAMESPACE', 'Rapport/Probe');
  vi.stubEnv('PROBE_TARGET', 'Rapport');
  // Generous: a loaded machine must not turn a healthy answer into a timeout.
  vi.stubEnv('PROBE_TIMEOUT_MS', '3000');
});
afterEach(() => vi.unstubAllEnvs());

function published(): PutMetricDataCommandInput[] {
  return cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
}

function datum(input: PutMetricDataCommandInput, name: string) {
  return input.MetricData?.find((d) => d.MetricName === name);
}

function throttling(): Error {
  return Object.assign(new Error('Rate exceeded'), {
    name: 'Throttling',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

describe('availability probe', () => {
  it('publishes Availability 1 and its latency for a 2xx with status ok', async () => {
    vi.stubEnv('HEALTH_URL', `${base}/ok`);
    const started = performance.now();
    const result = await handler();
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ available: true, status: 200 });
    const calls = published();
    expect(calls).toHaveLength(1);
    const input = calls[0]!;
    expect(input.Namespace).toBe('Rapport/Probe');
    expect(datum(input, 'Availability')).toMatchObject({
      Value: 1,
      Unit: 'None',
      Dimensions: [{ Name: 'Target', Value: 'Rapport' }],
    });
    const latency = datum(input, 'ProbeLatency')!;
    expect(latency.Unit).toBe('Milliseconds');
    expect(latency.Value).toBeGreaterThanOrEqual(0);
    // The measured latency lies within the call that measured it (a consistency check, not a speed goal).
    expect(latency.Value).toBeLessThanOrEqual(Math.ceil(elapsed));
    expect(latency.Timestamp).toBeInstanceOf(Date);
  });

  it.each([
    ['/degraded', 'http-503'],
    ['/boom', 'http-500'],
    ['/wrong-body', 'body'],
    ['/not-json', 'body'],
  ])('publishes Availability 0 for %s (%s)', async (path, failure) => {
    vi.stubEnv('HEALTH_URL', `${base}${path}`);
    const result = await handler();
    expect(result).toMatchObject({ available: false, failure });
    expect(datum(published()[0]!, 'Availability')!.Value).toBe(0);
    expect(datum(published()[0]!, 'ProbeLatency')).toBeDefined();
  });

  it('gives up after the timeout, publishes Availability 0 and the time it waited', async () => {
    vi.stubEnv('HEALTH_URL', `${base}/hang`);
    vi.stubEnv('PROBE_TIMEOUT_MS', '300');
    const started = Date.now();
    const result = await handler();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ available: false, failure: 'timeout' });
    expect(datum(published()[0]!, 'Availability')!.Value).toBe(0);
    expect(datum(published()[0]!, 'ProbeLatency')!.Value).toBeGreaterThanOrEqual(250);
  });

  it('publishes Availability 0 when the name does not resolve', async () => {
    vi.stubEnv('HEALTH_URL', 'https://rapport-probe.invalid/v1/health');
    vi.stubEnv('PROBE_TIMEOUT_MS', '5000');
    const result = await handler();
    expect(result.available).toBe(false);
    expect(result.failure).toMatch(/^(network:|timeout)/);
    expect(datum(published()[0]!, 'Availability')!.Value).toBe(0);
  });

  it('publishes Availability 0 when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    vi.stubEnv('HEALTH_URL', `http://127.0.0.1:${port}/v1/health`);
    const result = await handler();
    expect(result).toMatchObject({ available: false, failure: 'network:ECONNREFUSED' });
    expect(datum(published()[0]!, 'Availability')!.Value).toBe(0);
  });

  it('retries PutMetricData when CloudWatch throttles, then succeeds', async () => {
    cloudwatch.reset();
    cloudwatch.on(PutMetricDataCommand).rejectsOnce(throttling()).resolves({});
    vi.stubEnv('HEALTH_URL', `${base}/ok`);
    await expect(handler()).resolves.toMatchObject({ available: true });
    expect(published()).toHaveLength(2);
    expect(datum(published()[1]!, 'Availability')!.Value).toBe(1);
  });

  it('fails the invocation when CloudWatch keeps throttling (the alarm then sees missing data)', async () => {
    cloudwatch.reset();
    cloudwatch.on(PutMetricDataCommand).rejects(throttling());
    vi.stubEnv('HEALTH_URL', `${base}/ok`);
    await expect(handler()).rejects.toThrow('Rate exceeded');
    expect(published()).toHaveLength(4);
  });

  it('refuses a configuration that would probe the wrong thing', () => {
    expect(() => probeConfigFrom({})).toThrow(ProbeConfigError);
    expect(() => probeConfigFrom({ HEALTH_URL: 'http://api.example.com/v1/health' })).toThrow(/https/);
    expect(() => probeConfigFrom({ HEALTH_URL: 'not a url' })).toThrow(ProbeConfigError);
    expect(() => probeConfigFrom({ HEALTH_URL: 'https://x.example.com/v1/health', PROBE_TIMEOUT_MS: '0' })).toThrow(
      /PROBE_TIMEOUT_MS/,
    );
    expect(probeConfigFrom({ HEALTH_URL: 'https://x.example.com/v1/health' })).toEqual({
      healthUrl: 'https://x.example.com/v1/health',
      namespace: 'Rapport/Probe',
      target: 'rapport',
      timeoutMs: 5000,
    });
  });
});

describe('putMetricData retry loop', () => {
  const input = { Namespace: 'Rapport/Probe', MetricData: [{ MetricName: 'Availability', Value: 1 }] };
  const client = new CloudWatchClient({ region: 'us-east-1' });

  it('backs off exponentially between attempts and stops at maxAttempts', async () => {
    cloudwatch.reset();
    cloudwatch.on(PutMetricDataCommand).rejects(throttling());
    const delays: number[] = [];
    const sleep = async (ms: number) => {
      delays.push(ms);
    };
    await expect(putMetricData(client, input, { maxAttempts: 3, baseDelayMs: 100, sleep })).rejects.toThrow(
      'Rate exceeded',
    );
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(3);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('does not retry a request CloudWatch refuses as invalid', async () => {
    cloudwatch.reset();
    const invalid = Object.assign(new Error('bad value'), {
      name: 'InvalidParameterValueException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    cloudwatch.on(PutMetricDataCommand).rejects(invalid);
    await expect(putMetricData(client, input, { sleep: async () => {} })).rejects.toThrow('bad value');
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(1);
  });

  it('classifies throttling, 5xx and dropped connections as retryable', () => {
    expect(isRetryable(throttling())).toBe(true);
    expect(isRetryable({ name: 'ThrottlingException' })).toBe(true);
    expect(isRetryable({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable({ name: 'X', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isRetryable({ name: 'Error', code: 'ECONNRESET' })).toBe(true);
    expect(isRetryable({ name: 'InvalidParameterValueException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isRetryable('nope')).toBe(false);
  });
});

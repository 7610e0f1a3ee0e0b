import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rejectionReasons } from '../../../functions/domain/surveys/rejection';

type MetricsModule = typeof import('../../../functions/observability/metrics');

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** Captures what the module writes to stdout and parses the EMF lines (JSON with an `_aws` block). */
function captureStdout() {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return {
    emf: (): EmfLine[] =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as EmfLine)
        .filter((l) => l._aws !== undefined),
    restore: () => spy.mockRestore(),
  };
}

async function loadMetrics(namespace?: string): Promise<MetricsModule> {
  vi.resetModules();
  // Independent of the suite's environment (tests or the local runtime may disable EMF output).
  process.env.POWERTOOLS_METRICS_DISABLED = 'false';
  delete process.env.POWERTOOLS_DEV;
  if (namespace === undefined) delete process.env.POWERTOOLS_METRICS_NAMESPACE;
  else process.env.POWERTOOLS_METRICS_NAMESPACE = namespace;
  return import('../../../functions/observability/metrics');
}

const context = { functionName: 'rapport-public-api', awsRequestId: 'r-1' } as Context;

describe('business metrics (EMF)', () => {
  let out: ReturnType<typeof captureStdout>;
  beforeEach(() => {
    out = captureStdout();
  });
  afterEach(() => {
    out.restore();
    delete process.env.POWERTOOLS_METRICS_NAMESPACE;
  });

  it('records an accepted response per survey and across all surveys, as counts, in namespace Rapport', async () => {
    const m = await loadMetrics();
    m.recordResponseAccepted('01SURVEY', { satisfied: 1, detractor: 0, rated: 1 });
    const lines = out.emf();
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    const block = line._aws.CloudWatchMetrics[0]!;
    expect(block.Namespace).toBe('Rapport');
    // Two dimension sets in one line: the all-surveys series the alarms watch, and the per-survey one.
    expect(block.Dimensions).toEqual([['service'], ['service', 'SurveyId']]);
    expect(block.Metrics).toEqual([
      { Name: 'ResponsesAccepted', Unit: 'Count' },
      { Name: 'Satisfied', Unit: 'Count' },
      { Name: 'Detractors', Unit: 'Count' },
      { Name: 'RatedAnswers', Unit: 'Count' },
    ]);
    expect(line).toMatchObject({
      service: 'rapport',
      SurveyId: '01SURVEY',
      ResponsesAccepted: 1,
      Satisfied: 1,
      Detractors: 0,
      RatedAnswers: 1,
    });
  });

  it('keeps every call its own line, so one batch can report several surveys', async () => {
    const m = await loadMetrics();
    m.recordResponseAccepted('A', { satisfied: 0, detractor: 1, rated: 1 });
    m.recordResponseAccepted('B', { satisfied: 1, detractor: 0, rated: 1 });
    const lines = out.emf();
    expect(lines.map((l) => [l.SurveyId, l.Satisfied, l.Detractors])).toEqual([
      ['A', 0, 1],
      ['B', 1, 0],
    ]);
  });

  it('takes the namespace from POWERTOOLS_METRICS_NAMESPACE', async () => {
    const m = await loadMetrics('RapportStaging');
    m.recordResponseAccepted('S', { satisfied: 0, detractor: 0, rated: 0 });
    expect(out.emf()[0]!._aws.CloudWatchMetrics[0]!.Namespace).toBe('RapportStaging');
  });

  it('accepts a response that is both satisfied and a detractor (overall 5/5, NPS 3)', async () => {
    const m = await loadMetrics();
    m.recordResponseAccepted('S', { satisfied: 1, detractor: 1, rated: 1 });
    expect(out.emf()[0]).toMatchObject({ Satisfied: 1, Detractors: 1, RatedAnswers: 1 });
  });

  it('still counts the response but drops inconsistent rating counts', async () => {
    const m = await loadMetrics();
    m.recordResponseAccepted('S', { satisfied: 2, detractor: 0, rated: 1 });
    m.recordResponseAccepted('S', { satisfied: -1, detractor: 0, rated: 1 });
    m.recordResponseAccepted('S', { satisfied: 0.5, detractor: 0, rated: 1 });
    for (const line of out.emf()) {
      expect(line._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'ResponsesAccepted', Unit: 'Count' }]);
      expect(line.ResponsesAccepted).toBe(1);
    }
    expect(out.emf()).toHaveLength(3);
  });

  it('records rejections by reason (closed set) and in total', async () => {
    const m = await loadMetrics();
    m.recordResponseRejected('honeypot');
    m.recordResponseRejected('something-new-and-unbounded');
    m.recordResponseRejected('origin-not-allowed');
    const [first, second, third] = out.emf();
    expect(first!._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service'], ['service', 'Reason']]);
    expect(first!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'ResponsesRejected', Unit: 'Count' }]);
    expect(first).toMatchObject({ Reason: 'honeypot', ResponsesRejected: 1, service: 'rapport' });
    expect(second).toMatchObject({ Reason: 'other', ResponsesRejected: 1 });
    expect(third).toMatchObject({ Reason: 'origin-not-allowed' });
  });

  it('maps submit-path errors to a rejection reason from the closed set', async () => {
    const m = await loadMetrics();
    // The class from the same module graph as the freshly loaded metrics module.
    const { SubmissionRejected } = await import('../../../functions/domain/surveys/rejection');
    const cases: [unknown, string][] = [
      [{ code: 'validation-failed' }, 'invalid'],
      [{ code: 'not-found' }, 'survey-not-open'],
      [{ code: 'conflict' }, 'conflict'],
      [{ code: 'forbidden' }, 'origin-not-allowed'],
      [{ code: 'payload-too-large' }, 'too-large'],
      [{ code: 'service-unavailable' }, 'unavailable'],
      [new Error('boom'), 'other'],
      [undefined, 'other'],
      [new SubmissionRejected('honeypot', new Error('must be empty')), 'honeypot'],
    ];
    for (const [error, reason] of cases) {
      expect(m.rejectionReasonOf(error)).toBe(reason);
      expect(rejectionReasons).toContain(m.rejectionReasonOf(error));
    }
  });
});

describe('requestMetrics() middleware', () => {
  let out: ReturnType<typeof captureStdout>;
  beforeEach(() => {
    out = captureStdout();
  });
  afterEach(() => out.restore());

  it('publishes the cold start once and flushes request metrics after the handler, also on error', async () => {
    // Powertools only reports cold starts of on-demand environments, as Lambda announces them.
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const m = await loadMetrics();
    vi.unstubAllEnvs();
    const handler = middy(async (event: { fail?: boolean }) => {
      m.metrics.addMetric('WidgetServed', 'Count', 1);
      if (event.fail) throw new Error('boom');
      return 'ok';
    }).use(m.requestMetrics());

    await handler({}, context);
    await expect(handler({ fail: true }, context)).rejects.toThrow('boom');
    const lines = out.emf();
    const names = lines.map((l) => l._aws.CloudWatchMetrics[0]!.Metrics.map((x) => x.Name).join(','));
    expect(names).toEqual(['ColdStart', 'WidgetServed', 'WidgetServed']);
    expect(lines[0]).toMatchObject({ function_name: 'rapport-public-api', ColdStart: 1 });
    expect(lines[1]).toMatchObject({ service: 'rapport', WidgetServed: 1 });
  });

  it('writes nothing (not even a warning) for a request that recorded no metric', async () => {
    const m = await loadMetrics();
    const handler = middy(async () => 'ok').use(m.requestMetrics());
    await handler({}, context); // cold start line
    const before = out.emf().length;
    const warn = vi.spyOn(console, 'warn');
    await handler({}, context);
    expect(out.emf().length).toBe(before);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });
});

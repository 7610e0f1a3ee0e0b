/** What every refusal must look like: an RFC 9457 problem document that agrees with the HTTP status. */
import { expect } from 'vitest';

export interface ResponseLike {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** Throws (a vitest assertion error) unless the response is a well-formed problem with a 4xx status. */
export function expectClientProblem(response: ResponseLike, context = ''): void {
  const where = `${context} → ${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, where).toBeGreaterThanOrEqual(400);
  expect(response.status, where).toBeLessThan(500);
  expectProblemShape(response, where);
}

/** A problem document whose `status` equals the HTTP status and whose `detail` says something. */
export function expectProblemShape(response: ResponseLike, where = ''): void {
  expect(response.headers.get('content-type') ?? '', where).toMatch(/^application\/problem\+json\b/);
  const body = response.body as Record<string, unknown>;
  expect(typeof body, where).toBe('object');
  expect(body.status, where).toBe(response.status);
  expect(typeof body.type, where).toBe('string');
  expect(typeof body.title, where).toBe('string');
  expect(typeof body.detail, where).toBe('string');
  expect((body.detail as string).trim().length, where).toBeGreaterThan(0);
}

/** Never a 5xx; refusals are problems. Successful answers are allowed. */
export function expectNoServerError(response: ResponseLike, context = ''): void {
  const where = `${context} → ${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) expectProblemShape(response, where);
}

/**
 * RFC 9457 problem responses the gateway itself produces (before any handler runs): unknown route,
 * missing or bad token, payload too large, integration failure. Same shape as the handlers' problems.
 */
export const PROBLEM_TYPE_BASE = 'https://rapport.dev/problems/';

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

export interface GatewayResponse {
  readonly statusCode: number;
  /** Lower-case names; `set-cookie` may carry several values. */
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** API Gateway's own error names, sent in `x-amzn-errortype` so a client (or test) can tell a gateway error from a handler's. */
const ERROR_TYPES: Record<number, string> = {
  401: 'UnauthorizedException',
  404: 'NotFoundException',
  413: 'RequestEntityTooLargeException',
  500: 'InternalServerErrorException',
  503: 'ServiceUnavailableException',
};

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  headers: Record<string, string> = {},
): GatewayResponse {
  const document: Problem = { type: `${PROBLEM_TYPE_BASE}${code}`, title, status, detail };
  return {
    statusCode: status,
    headers: {
      'content-type': 'application/problem+json',
      'x-amzn-errortype': ERROR_TYPES[status] ?? 'GatewayException',
      ...headers,
    },
    body: Buffer.from(JSON.stringify(document)),
  };
}

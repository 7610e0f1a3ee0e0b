/** Lambda entry of the public API: health (and, later, survey widget and submissions). No token. */
import { systemClock } from '../adapters/clock';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { dynamoHealthCheck } from '../adapters/dynamodb/health-probe';
import { createHttpFunction } from '../http/http-function';

const db = createDocumentClient();
const dynamoAnswers = dynamoHealthCheck(db, tableNameFrom());

export const handler = createHttpFunction('public-api', {
  getHealth: async () => {
    const ok = await dynamoAnswers();
    return {
      status: ok ? 200 : 503,
      body: { status: ok ? 'ok' : 'degraded', checks: { dynamodb: ok ? 'ok' : 'failing' }, time: systemClock.now().toISOString() },
      ...(ok ? {} : { headers: { 'retry-after': '5' } }),
    };
  },
});

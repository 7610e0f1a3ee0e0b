/**
 * Customer API through the local runtime (real HTTP, DynamoDB Local in memory): create, get, list
 * and import latencies. Numbers depend on the machine; compare runs on the same machine.
 */
import type { Runtime } from '../local/runtime';
import { adminCall } from './admin-call';
import { type LatencySummary, measure } from './stats';

export interface CustomerBenchResult {
  name: string;
  summary: LatencySummary;
}

export async function benchCustomers(runtime: Runtime): Promise<CustomerBenchResult[]> {
  const ids: string[] = [];
  const call = adminCall(runtime);
  const results: CustomerBenchResult[] = [];
  results.push({
    name: 'POST /v1/customers (concurrency 8)',
    summary: await measure(400, 8, async (i) => {
      const created = JSON.parse(
        await call('POST', '/v1/customers', {
          name: `Bench ${i}`,
          email: `bench${i}@example.cn`,
          phone: `+86139${String(10000000 + i)}`,
        }),
      ) as { id: string };
      ids.push(created.id);
    }),
  });
  results.push({
    name: 'GET /v1/customers/{id} (concurrency 8)',
    summary: await measure(400, 8, async (i) => {
      await call('GET', `/v1/customers/${ids[i % ids.length]}`);
    }),
  });
  results.push({
    name: 'GET /v1/customers?limit=100 (concurrency 4)',
    summary: await measure(100, 4, async () => {
      await call('GET', '/v1/customers?limit=100');
    }),
  });
  const rows = Array.from({ length: 1000 }, (_, i) => ({ name: `Imported ${i}`, email: `imported${i}@example.cn` }));
  results.push({
    name: 'POST /v1/customers/import, 1,000 new rows (sequential)',
    summary: await measure(1, 1, async () => {
      await call('POST', '/v1/customers/import', rows);
    }),
  });
  results.push({
    name: 'POST /v1/customers/import, same 1,000 rows again (all unchanged)',
    summary: await measure(1, 1, async () => {
      await call('POST', '/v1/customers/import', rows);
    }),
  });
  return results;
}

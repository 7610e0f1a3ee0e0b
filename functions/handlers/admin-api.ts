/** Lambda entry of the admin API: customers (and, later, surveys and reports). JWT-protected. */
import { systemClock } from '../adapters/clock';
import { createDocumentClient, tableNameFrom } from '../adapters/dynamodb/client';
import { DynamoCustomerStore } from '../adapters/dynamodb/customer-store';
import { ulidGenerator } from '../adapters/ids';
import { phoneRegionFrom } from '../config';
import { CustomerService } from '../domain/customers/customer-service';
import { createHttpFunction } from '../http/http-function';
import { openApiDocument } from '../http/openapi';
import { customerOperations } from './operations/customers';

const db = createDocumentClient();
const customers = new CustomerService({
  store: new DynamoCustomerStore(db, tableNameFrom()),
  clock: systemClock,
  ids: ulidGenerator,
  phoneRegion: phoneRegionFrom(),
});

export const handler = createHttpFunction('admin-api', {
  ...customerOperations(customers),
  getOpenApi: async () => ({ status: 200, body: openApiDocument(), headers: { 'cache-control': 'public, max-age=300' } }),
});

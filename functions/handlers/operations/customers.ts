/** HTTP ↔ domain for the customer routes: read the request, call the service, shape the reply. */

import type { Customer } from '../../domain/customers/customer';
import { LIMITS } from '../../domain/customers/customer-schema';
import type { CustomerService } from '../../domain/customers/customer-service';
import type { FeedbackStore } from '../../domain/customers/feedback';
import type { PrivacyService } from '../../domain/customers/privacy-service';
import type { Implementations } from '../../http/http-function';
import type { HttpReply } from '../../http/request';

/**
 * The CSV parser and writer serve only import and export: loaded on their first use, so they are not
 * evaluated when the function starts (esbuild keeps them in the bundle, wrapped to run on demand).
 */
const customerCsv = () => import('../../domain/customers/customer-csv');

type CustomerOperations = Pick<
  Implementations<'admin-api'>,
  | 'listCustomers'
  | 'createCustomer'
  | 'lookupCustomer'
  | 'exportCustomers'
  | 'importCustomers'
  | 'getCustomerQuality'
  | 'getCustomer'
  | 'updateCustomer'
  | 'deleteCustomer'
  | 'mergeCustomers'
  | 'exportCustomerData'
  | 'listUnverifiedResponses'
  | 'eraseCustomer'
>;

const etag = (c: Customer) => `"${c.version}"`;
const withEtag = (status: number, c: Customer): HttpReply => ({ status, body: c, headers: { etag: etag(c) } });

export function customerOperations(
  service: CustomerService,
  feedback: FeedbackStore,
  privacy: PrivacyService,
): CustomerOperations {
  return {
    listCustomers: async ({ query }) => ({ status: 200, body: await service.list(query) }),

    createCustomer: async ({ body }) => {
      const created = await service.create(body as Exclude<typeof body, string>);
      return { ...withEtag(201, created), headers: { etag: etag(created), location: `/v1/customers/${created.id}` } };
    },

    lookupCustomer: async ({ query }) => withEtag(200, await service.lookup(query)),

    getCustomer: async ({ params }) => {
      const [customer, behaviour] = await Promise.all([service.get(params.id), feedback.get(params.id)]);
      return { ...withEtag(200, customer), body: { ...customer, feedback: behaviour } };
    },

    updateCustomer: async ({ params, body, ifMatch }) =>
      withEtag(200, await service.update(params.id, body as Exclude<typeof body, string>, ifMatch)),

    // Deleting a customer is erasing them: there is no way to remove a record that leaves their
    // responses, follow-ups and contact data behind.
    deleteCustomer: async ({ params, ifMatch }) => {
      await privacy.erase(params.id, ifMatch);
      return { status: 204 };
    },

    mergeCustomers: async ({ params, body, ifMatch }) => {
      const { duplicateId } = body as Exclude<typeof body, string>;
      // The duplicate's responses follow from the stream, once the merge has committed.
      return withEtag(200, await service.merge(params.id, duplicateId, ifMatch));
    },

    importCustomers: async ({ body }) => {
      const rows =
        typeof body === 'string'
          ? (await customerCsv()).parseCsv(body, LIMITS.importRows)
          : Array.isArray(body)
            ? body
            : body.customers;
      const report = await service.import(rows);
      // Incomplete: a 200 with the per-row truth (what was written, what to send again) and a pause.
      return { status: 200, body: report, ...(report.complete ? {} : { headers: { 'retry-after': '2' } }) };
    },

    exportCustomers: async ({ query }) => {
      const page = await service.exportPage({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
      const headers: Record<string, string> = {};
      if (page.nextCursor) {
        headers['rapport-next-cursor'] = page.nextCursor;
        headers.link = `</v1/customers/export?format=${query.format}&cursor=${encodeURIComponent(page.nextCursor)}>; rel="next"`;
      }
      const { toCsv, toJsonLines } = await customerCsv();
      return query.format === 'csv'
        ? { status: 200, text: toCsv(page.items, true), contentType: 'text/csv; charset=utf-8', headers }
        : { status: 200, text: toJsonLines(page.items), contentType: 'application/x-ndjson; charset=utf-8', headers };
    },

    exportCustomerData: async ({ params }) => ({
      status: 200,
      body: await privacy.export(params.id),
      headers: { 'content-disposition': `attachment; filename="customer-${params.id}.json"` },
    }),

    listUnverifiedResponses: async ({ params }) => ({
      status: 200,
      body: { items: await privacy.unverifiedResponses(params.id) },
    }),

    eraseCustomer: async ({ params, ifMatch }) => ({
      status: 200,
      body: { erased: true, ...(await privacy.erase(params.id, ifMatch)) },
    }),

    getCustomerQuality: async ({ query }) => ({ status: 200, body: await service.quality(query.staleDays) }),
  };
}

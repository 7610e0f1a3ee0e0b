/** The webhook events, in one zod-free list: the API's schemas and the console's Webhooks page both read it. */
export const webhookEventTypes = [
  'response.created',
  'followup.created',
  'followup.updated',
  'customer.created',
  'customer.updated',
  'customer.merged',
  'customer.erased',
  'satisfaction.dropped',
  'satisfaction.recovered',
] as const;

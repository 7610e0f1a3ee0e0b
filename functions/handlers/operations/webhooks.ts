/** HTTP ↔ domain for webhooks (admin API): subscriptions, their secret, the delivery log, replays. */
import type { WebhookService } from '../../domain/webhooks/webhook-service';
import type { Implementations } from '../../http/http-function';

type WebhookOperations = Pick<
  Implementations<'admin-api'>,
  | 'listWebhooks'
  | 'createWebhook'
  | 'getWebhook'
  | 'updateWebhook'
  | 'deleteWebhook'
  | 'rotateWebhookSecret'
  | 'listWebhookDeliveries'
  | 'getWebhookDelivery'
  | 'replayWebhookDelivery'
  | 'replayWebhookDeliveries'
>;

const json = <T>(body: T | string) => body as Exclude<T, string>;

export function webhookOperations(webhooks: WebhookService): WebhookOperations {
  return {
    listWebhooks: async () => ({ status: 200, body: { items: await webhooks.list() } }),

    createWebhook: async ({ body, identity }) => {
      const issued = await webhooks.create(json(body), identity?.subject ?? 'anonymous');
      return {
        status: 201,
        body: issued,
        headers: { etag: `"${issued.version}"`, location: `/v1/webhooks/${issued.id}` },
      };
    },

    getWebhook: async ({ params }) => {
      const view = await webhooks.get(params.id);
      return { status: 200, body: view, headers: { etag: `"${view.version}"` } };
    },

    updateWebhook: async ({ params, body, ifMatch }) => {
      const view = await webhooks.update(params.id, json(body), ifMatch);
      return { status: 200, body: view, headers: { etag: `"${view.version}"` } };
    },

    deleteWebhook: async ({ params }) => {
      await webhooks.remove(params.id);
      return { status: 204 };
    },

    rotateWebhookSecret: async ({ params, body, ifMatch }) => {
      const issued = await webhooks.rotate(params.id, json(body), ifMatch);
      return { status: 200, body: issued, headers: { etag: `"${issued.version}"` } };
    },

    listWebhookDeliveries: async ({ params, query }) => ({
      status: 200,
      body: await webhooks.deliveries(params.id, query),
    }),

    getWebhookDelivery: async ({ params }) => ({
      status: 200,
      body: await webhooks.delivery(params.id, params.deliveryId),
    }),

    replayWebhookDelivery: async ({ params }) => ({
      status: 202,
      body: await webhooks.replay(params.id, params.deliveryId),
    }),

    replayWebhookDeliveries: async ({ params, body }) => ({
      status: 202,
      body: await webhooks.replayRange(params.id, json(body)),
    }),
  };
}

import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { bodyOf } from '../../../../functions/domain/webhooks/webhook-events';
import { newWebhookSecret, signedHeaders } from '../../../../functions/domain/webhooks/webhook-signature';

describe('Standard Webhooks signatures', () => {
  const body = bodyOf({
    id: 'e1',
    type: 'customer.erased',
    timestamp: '2026-11-30T00:00:00.000Z',
    data: { customerId: 'C1' },
  });

  it('verify with the standardwebhooks library, with either secret during a rotation', () => {
    const current = newWebhookSecret();
    const previous = newWebhookSecret();
    const headers = signedHeaders([current, previous], 'msg_1', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, { ...headers })).toMatchObject({ type: 'customer.erased' });
    expect(new Webhook(previous).verify(body, { ...headers })).toMatchObject({ data: { customerId: 'C1' } });
  });

  it('fail with another secret or a changed body', () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders([secret], 'msg_1', new Date(), body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(secret).verify(body.replace('C1', 'C2'), { ...headers })).toThrow();
  });
});

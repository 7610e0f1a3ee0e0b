/**
 * Sending once: the message id is claimed before the mailer is called; a failed send releases the
 * claim (a later run retries, and the failure is reported), a claimed id is never sent again.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MailMessage } from '../../../../functions/domain/mail/mailer';
import { deliverOnce } from '../../../../functions/domain/notifications/mail-delivery';
import type { MailLedger } from '../../../../functions/domain/notifications/notification-store';

function memoryLedger(): MailLedger & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    claim: async (id) => {
      if (entries.has(id)) return false;
      entries.set(id, 'sending');
      return true;
    },
    sent: async (id) => {
      entries.set(id, 'sent');
    },
    release: async (id) => {
      if (entries.get(id) === 'sending') entries.delete(id);
    },
  };
}

const message: MailMessage = { id: 'alert:e1:r1', to: 'a@example.com', subject: 's', text: 't', html: '<p>t</p>' };
const meta = { kind: 'alert' as const, surveyId: 'S1' };

describe('deliverOnce', () => {
  it('sends a message once however often it is delivered, concurrently or not', async () => {
    const ledger = memoryLedger();
    const mailer = { send: vi.fn(async () => undefined) };
    const deps = { ledger, mailer, now: () => new Date() };
    const outcomes = await Promise.all([deliverOnce(deps, message, meta), deliverOnce(deps, message, meta)]);
    expect(outcomes.sort()).toEqual(['already-claimed', 'sent']);
    expect(await deliverOnce(deps, message, meta)).toBe('already-claimed');
    expect(mailer.send).toHaveBeenCalledTimes(1);
    expect(ledger.entries.get(message.id)).toBe('sent');
  });

  it('releases the claim after a failed send, reports it, and a later delivery sends it', async () => {
    const ledger = memoryLedger();
    const onFailure = vi.fn();
    const mailer = { send: vi.fn().mockRejectedValueOnce(new Error('Throttling')).mockResolvedValue(undefined) };
    const deps = { ledger, mailer, now: () => new Date(), onFailure };
    expect(await deliverOnce(deps, message, meta)).toBe('failed');
    expect(onFailure).toHaveBeenCalledWith('alert', expect.any(Error));
    expect(ledger.entries.has(message.id)).toBe(false);
    expect(await deliverOnce(deps, message, meta)).toBe('sent');
    expect(mailer.send).toHaveBeenCalledTimes(2);
  });
});

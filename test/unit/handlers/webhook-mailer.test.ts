/** The webhook sender's mailer: SES from MAIL_FROM, or a logged warning without it (nothing thrown). */
import { describe, expect, it } from 'vitest';
import { SesMailer } from '../../../functions/adapters/mail/ses-mailer';
import { lambdaMailer } from '../../../functions/handlers/webhook-mailer';

describe('webhook sender mailer', () => {
  it('sends through SES from the mailFrom identity', () => {
    expect(lambdaMailer('Rapport <alerts@example.com>')).toBeInstanceOf(SesMailer);
  });

  it('without mailFrom it sends nothing and does not fail the sender', async () => {
    const mailer = lambdaMailer('');
    expect(mailer).not.toBeInstanceOf(SesMailer);
    await expect(
      mailer.send({ id: 'm1', to: 'owner@example.com', subject: 's', text: 't', html: '<p>t</p>', headers: {} }),
    ).resolves.toBeUndefined();
  });
});

/**
 * The scheduled digest of one survey: when its latest send time has come (digest-schedule.ts) and is
 * less than a day old, every recipient who has not unsubscribed gets it once — the message id is
 * (survey, period, recipient), claimed in the ledger before sending, so a retried, overlapping or
 * hourly repeated run sends nothing twice.
 */
import type { Mailer } from '../mail/mailer';
import type { Clock } from '../ports';
import type { Survey } from '../surveys/survey';
import { type DigestContentDeps, digestContent } from './digest-content';
import { digestMail } from './digest-mail';
import { DIGEST_GRACE_MS, latestDigestDue } from './digest-schedule';
import { deliverOnce } from './mail-delivery';
import type { DigestOptOuts, MailKind, MailLedger, SigningSecrets } from './notification-store';
import { recipientRef } from './recipient-ref';
import { unsubscribeUrl } from './unsubscribe-link';

export interface DigestJobDeps extends DigestContentDeps {
  optOuts: Pick<DigestOptOuts, 'optedOut'>;
  secrets: SigningSecrets;
  ledger: MailLedger;
  mailer: Mailer;
  clock: Clock;
  /** Base URL of the public API (unsubscribe links): the front door. */
  publicUrl: string;
  consoleUrl?: string | undefined;
  onMailFailure?: (kind: MailKind, error: unknown) => void;
}

export interface DigestRunSummary {
  due: boolean;
  sent: number;
  failed: number;
  skipped: number;
}

export class DigestJob {
  constructor(private readonly deps: DigestJobDeps) {}

  async run(survey: Survey): Promise<DigestRunSummary> {
    const summary: DigestRunSummary = { due: false, sent: 0, failed: 0, skipped: 0 };
    const { digest, recipients } = survey.notifications;
    const now = this.deps.clock.now();
    const due = latestDigestDue(now, digest);
    if (!due || digest.frequency === 'off' || !recipients.length) return summary;
    if (now.getTime() - due.sendAt.getTime() > DIGEST_GRACE_MS) return summary;
    const optedOut = await this.deps.optOuts.optedOut(survey.id);
    const wanted = recipients.filter((r) => !optedOut.has(recipientRef(r.email)));
    summary.skipped = recipients.length - wanted.length;
    if (!wanted.length) return summary;
    summary.due = true;
    const content = await digestContent(this.deps, survey, digest.frequency, due.period, due.previous);
    const secret = await this.deps.secrets.unsubscribeSecret();
    for (const recipient of wanted) {
      const message = digestMail(content, recipient, {
        unsubscribeUrl: unsubscribeUrl(this.deps.publicUrl, secret, survey.id, recipientRef(recipient.email)),
        consoleUrl: this.deps.consoleUrl,
      });
      const outcome = await deliverOnce(
        {
          ledger: this.deps.ledger,
          mailer: this.deps.mailer,
          now: () => this.deps.clock.now(),
          ...(this.deps.onMailFailure ? { onFailure: this.deps.onMailFailure } : {}),
        },
        message,
        { kind: 'digest', surveyId: survey.id },
      );
      if (outcome === 'sent') summary.sent++;
      if (outcome === 'failed') summary.failed++;
    }
    return summary;
  }
}

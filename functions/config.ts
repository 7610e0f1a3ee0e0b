/** Function configuration from the environment, checked once at start-up. */
import type { PhoneRegion } from './domain/customers/normalise';

/**
 * The shape is checked here, at start-up; the region is checked against libphonenumber (isPhoneRegion)
 * when CustomerService first loads the phone rules, which the admin API no longer evaluates at
 * start-up (see normalise.ts).
 */
export function phoneRegionFrom(env: NodeJS.ProcessEnv = process.env): PhoneRegion {
  const value = (env.PHONE_REGION ?? 'CN').toUpperCase();
  if (!/^[A-Z]{2}$/.test(value)) throw new Error(`PHONE_REGION "${value}" is not an ISO 3166 region code`);
  return value as PhoneRegion;
}

/** How long audit entries are kept (`AUDIT_RETENTION_DAYS`, set by the CDK from `auditRetentionDays`). */
export function auditRetentionDaysFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AUDIT_RETENTION_DAYS ?? '365';
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new Error(`AUDIT_RETENTION_DAYS "${raw}" must be 1–3650`);
  return days;
}

export interface WebhookConfig {
  /** Deliveries may go to loopback (the local runtime's receivers): `WEBHOOK_ALLOW_LOOPBACK=1`, never in AWS. */
  allowLoopback: boolean;
  /** Multiplies every retry wait: 1 in AWS; the local runtime compresses a day into seconds. */
  timeScale: number;
  /** The console's URL, named in the e-mail about a disabled webhook. */
  consoleUrl: string | undefined;
}

export function webhookConfigFrom(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const scale = Number(env.WEBHOOK_TIME_SCALE ?? '1');
  if (!(scale > 0 && scale <= 1)) throw new Error(`WEBHOOK_TIME_SCALE "${env.WEBHOOK_TIME_SCALE}" must be in (0, 1]`);
  return {
    allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === '1',
    timeScale: scale,
    consoleUrl: env.CONSOLE_URL || undefined,
  };
}

/** The delivery queue's URL (`WEBHOOK_QUEUE_URL`, set by the CDK). */
export function webhookQueueUrlFrom(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.WEBHOOK_QUEUE_URL;
  if (!url) throw new Error('WEBHOOK_QUEUE_URL is not set');
  return url;
}

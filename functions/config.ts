/** Function configuration from the environment, checked once at start-up. */
import { isPhoneRegion, type PhoneRegion } from './domain/customers/normalise';

export function phoneRegionFrom(env: NodeJS.ProcessEnv = process.env): PhoneRegion {
  const value = (env.PHONE_REGION ?? 'CN').toUpperCase();
  if (!isPhoneRegion(value)) throw new Error(`PHONE_REGION "${value}" is not an ISO 3166 region libphonenumber knows`);
  return value;
}

/** How long audit entries are kept (`AUDIT_RETENTION_DAYS`, set by the CDK from `auditRetentionDays`). */
export function auditRetentionDaysFrom(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AUDIT_RETENTION_DAYS ?? '365';
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new Error(`AUDIT_RETENTION_DAYS "${raw}" must be 1–3650`);
  return days;
}

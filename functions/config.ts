/** Function configuration from the environment, checked once at start-up. */
import { isPhoneRegion, type PhoneRegion } from './domain/customers/normalise';

export function phoneRegionFrom(env: NodeJS.ProcessEnv = process.env): PhoneRegion {
  const value = (env.PHONE_REGION ?? 'CN').toUpperCase();
  if (!isPhoneRegion(value)) throw new Error(`PHONE_REGION "${value}" is not an ISO 3166 region libphonenumber knows`);
  return value;
}

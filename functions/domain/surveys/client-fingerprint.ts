/**
 * Who sent a response, as far as abuse repair needs to know and no further: a keyed hash of the
 * client's address and user agent under a salt that changes every day and is destroyed after 30 days.
 * The same client on the same day has the same hash, so an admin can exclude a flood; the address
 * itself is never stored, and once the day's salt is gone the hash can no longer be recomputed from
 * any address (brute force over every IPv4 address would need the salt).
 */
import { createHmac } from 'node:crypto';

export interface ClientInfo {
  readonly address: string;
  readonly userAgent: string;
}

/** The port for the daily salts (secret, random, kept 30 days). */
export interface SaltStore {
  saltFor(day: string): Promise<string>;
}

/** How long a salt — and so the usefulness of the day's hashes — lives. */
export const CLIENT_HASH_DAYS = 30;

export function clientHashOf(salt: string, client: ClientInfo): string {
  return createHmac('sha256', salt).update(`${client.address}\n${client.userAgent}`).digest('base64url').slice(0, 22);
}

export const clientHashSchemaPattern = /^[A-Za-z0-9_-]{22}$/;

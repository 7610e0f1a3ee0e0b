/**
 * The shape of one entry of THE route table (functions/contracts/routes.ts). Its own file so the
 * public API's entries (public-routes.ts) can be typed without loading the admin API's schemas.
 */
import type { ZodType } from 'zod';

/** The Lambda functions that serve HTTP. Trust boundaries decide them (docs/design.md §2). */
export type HttpFunctionName = 'public-api' | 'admin-api';

/** `public`: no token. `read`: admin or analyst. `write`: admin only. `admin`: admin-only reads. */
export type Access = 'public' | 'read' | 'write' | 'admin';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'OPTIONS';

export interface RouteDefinition {
  readonly operationId: string;
  readonly method: Method;
  /** API Gateway syntax: `/v1/customers/{id}`. */
  readonly path: string;
  readonly function: HttpFunctionName;
  readonly access: Access;
  readonly summary: string;
  readonly query?: ZodType;
  /** Request body schema (JSON). */
  readonly body?: ZodType;
  /** Content types the body may have; the first is the default. JSON when absent and a body is expected. */
  readonly bodyTypes?: readonly string[];
  /** Body size cap in bytes; larger bodies are refused with 413 before parsing. */
  readonly maxBodyBytes?: number;
  /**
   * The outcome is about one customer: the path's `{id}`, or the record a create returns. Kept
   * `Idempotency-Key` outcomes are linked to that customer, so erasing the customer erases them.
   */
  readonly subject?: 'customer';
  /** Reads of personal data are recorded in the audit log (every write is, whatever this says). */
  readonly audit?: 'personal-data';
  /** Honour `If-Match` (optimistic locking). */
  readonly conditional?: boolean;
  readonly response?: { readonly status: number; readonly schema?: ZodType; readonly contentTypes?: readonly string[] };
}

export const KiB = 1024;

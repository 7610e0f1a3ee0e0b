/**
 * Which requests the audit log records, and what of them: every admin write (refused ones too) and
 * every read of personal data (routes marked `audit: 'personal-data'` in the route table). A read of
 * personal data that cannot be recorded is not delivered (503): what is read must be on record. A
 * write is answered whatever happens to its record (it has happened), and a failed record is logged
 * and counted for the alarm.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteDefinition } from '../contracts/routes';
import { type AuditRecord, type AuditStore, customerRef } from '../domain/audit/audit-entry';
import { ServiceUnavailableError } from '../domain/errors';
import { logger } from '../observability/logger';
import { recordAuditWriteFailed } from '../observability/metrics';
import { identityOf } from './auth';

export function auditKind(route: RouteDefinition): AuditRecord['kind'] | undefined {
  if (route.access === 'write') return 'write';
  return route.audit === 'personal-data' ? 'personal-data' : undefined;
}

export async function recordAudit(
  store: AuditStore,
  route: RouteDefinition,
  event: APIGatewayProxyEventV2,
  result: APIGatewayProxyStructuredResultV2,
): Promise<void> {
  const kind = auditKind(route);
  if (!kind) return;
  const identity = identityOf(event);
  const record: AuditRecord = {
    at: new Date().toISOString(),
    actor: identity?.subject ?? 'anonymous',
    roles: identity?.roles ?? [],
    operation: route.operationId,
    method: route.method,
    path: route.path,
    // A customer's id is personal data: entries hold its hash (`customerRef`), which survives erasure.
    ids: Object.fromEntries(
      Object.entries(event.pathParameters ?? {}).map(([k, v]) => [
        k,
        route.path.startsWith('/v1/customers/{id}') && k === 'id' ? customerRef(String(v ?? '')) : String(v ?? ''),
      ]),
    ),
    queryNames: Object.keys(event.queryStringParameters ?? {}).sort(),
    status: result.statusCode ?? 200,
    replayed: result.headers?.['idempotent-replayed'] === 'true',
    requestId: event.requestContext?.requestId ?? 'unknown',
    kind,
  };
  try {
    const entry = await store.append(record);
    // The head's hash in the function's log (kept apart from the table): an anchor to check the chain against.
    logger.info('audited', { seq: entry.seq, hash: entry.hash, operation: route.operationId });
  } catch (err) {
    recordAuditWriteFailed(route.operationId);
    logger.error('could not record the audit entry', {
      operation: route.operationId,
      status: record.status,
      error: err instanceof Error ? err.name : String(err),
    });
    if (kind === 'personal-data' && record.status < 300) {
      throw new ServiceUnavailableError(
        'the access could not be recorded in the audit log, so it was not given; try again',
        2,
      );
    }
  }
}

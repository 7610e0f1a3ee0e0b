import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { routes } from '../../../functions/contracts/routes';
import { openApiDocument } from '../../../functions/http/openapi';
import { CONSOLE_API_TYPES, consoleApiTypes } from '../../../scripts/write-openapi';

describe('OpenAPI document', () => {
  const doc = openApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { security: unknown[]; operationId: string }>>;
  };

  it('has every route of the route table, with security on every non-public one', () => {
    expect(doc.openapi).toBe('3.1.0');
    for (const route of routes) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(op?.operationId, `${route.method} ${route.path}`).toBe(route.operationId);
      expect(op!.security.length > 0).toBe(route.access !== 'public');
    }
  });

  it('docs/openapi.json is current (run `npm run openapi` after changing routes or schemas)', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(committed).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it("console/src/api/schema.d.ts is current (the console's API types; `npm run openapi` regenerates it)", async () => {
    expect(readFileSync(CONSOLE_API_TYPES, 'utf8')).toBe(await consoleApiTypes());
  });
});

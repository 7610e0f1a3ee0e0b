/** Writes docs/openapi.json from the route table and zod schemas (`npm run openapi`). */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../functions/http/openapi';

const target = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);

/**
 * TypeScript types of the API from its OpenAPI document, by openapi-typescript (the console's
 * openapi-fetch client is typed by them, so no API type is ever copied by hand). Lives in this
 * workspace because openapi-typescript needs the TypeScript 5 compiler API installed beside it.
 */
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';

export async function apiTypes(document: Record<string, unknown>): Promise<string> {
  const nodes = await openapiTS(document as unknown as OpenAPI3, { silent: true, alphabetize: false });
  return astToString(nodes);
}

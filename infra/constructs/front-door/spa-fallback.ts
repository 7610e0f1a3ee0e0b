/**
 * The console is a single-page app: a deep link such as `/customers/01J…` has no file behind it, so a
 * CloudFront Function on the console behaviour (viewer request) serves `/index.html` for every path
 * whose last segment has no file extension. Only on that behaviour: a distribution-wide custom error
 * response would also turn the API's 403/404 problem+json answers into the console's HTML.
 */
import { Function as CloudFrontFunction, FunctionCode, FunctionRuntime } from 'aws-cdk-lib/aws-cloudfront';
import type { Construct } from 'constructs';

/** cloudfront-js-2.0 source; also evaluated as-is by the unit tests. */
export const SPA_FALLBACK_SOURCE = `function handler(event) {
  var request = event.request;
  var lastSegment = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  // No extension: a console route, not a file. Files (index.html, config.json, assets/…) pass unchanged.
  if (lastSegment.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}`;

export function spaFallbackFunction(scope: Construct, id: string): CloudFrontFunction {
  return new CloudFrontFunction(scope, id, {
    comment: 'Rapport console: serve /index.html for console routes (paths without a file extension)',
    code: FunctionCode.fromInline(SPA_FALLBACK_SOURCE),
    runtime: FunctionRuntime.JS_2_0,
  });
}

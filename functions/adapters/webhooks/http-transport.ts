/**
 * Posts a webhook over HTTP(S) without letting it reach what it must not (docs/webhooks.md "Where
 * deliveries may go"): the name is resolved here, every address it resolves to is checked, and the
 * connection goes to exactly the checked address (the socket's lookup is pinned to it, TLS still
 * verifies the name), so DNS cannot answer differently between the check and the connect. Redirects
 * are never followed (a 3xx is a failed attempt); the whole attempt has one deadline.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { type AddressPolicy, classifyAddress, refusalOf } from '../../domain/webhooks/address-policy';
import type { TransportRequest, TransportResult, WebhookTransport } from '../../domain/webhooks/delivery-ports';

/** Resolves a host name to its addresses. */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Bytes of an answer read (the log keeps fewer); the rest is not waited for. */
const READ_BYTES = 1024;

export class HttpWebhookTransport implements WebhookTransport {
  constructor(
    private readonly policy: AddressPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  async post(request: TransportRequest): Promise<TransportResult> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return { kind: 'refused', reason: 'not a URL', latencyMs: elapsed() };
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      return { kind: 'refused', reason: `scheme ${url.protocol} is not allowed`, latencyMs: elapsed() };
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await this.resolve(host);
    } catch (err) {
      return { kind: 'failed', reason: `could not resolve ${host}: ${(err as Error).message}`, latencyMs: elapsed() };
    }
    if (addresses.length === 0) return { kind: 'failed', reason: `${host} has no address`, latencyMs: elapsed() };
    for (const address of addresses) {
      const refusal = refusalOf(address, this.policy);
      if (refusal) return { kind: 'refused', reason: `${host} resolves to a ${refusal}`, latencyMs: elapsed() };
    }
    if (url.protocol === 'http:' && !(this.policy.allowLoopback && classifyAddress(addresses[0] ?? '') === 'loopback'))
      return {
        kind: 'refused',
        reason: 'plain http is allowed only to loopback in the local runtime',
        latencyMs: elapsed(),
      };
    return this.send(url, host, addresses[0] ?? host, request, elapsed);
  }

  private send(
    url: URL,
    host: string,
    address: string,
    request: TransportRequest,
    elapsed: () => number,
  ): Promise<TransportResult> {
    const family = isIP(address);
    const pinned: LookupFunction = (_name, options, callback) => {
      if (options.all)
        (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<TransportResult>((resolve) => {
      let settled = false;
      const finish = (result: TransportResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const req = lib.request(
        {
          protocol: url.protocol,
          hostname: host,
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) },
          lookup: pinned,
          ...(url.protocol === 'https:' && !isIP(host) ? { servername: host } : {}),
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const done = () =>
            finish({
              kind: 'answered',
              status: res.statusCode ?? 0,
              ...(typeof res.headers['retry-after'] === 'string' ? { retryAfter: res.headers['retry-after'] } : {}),
              snippet: Buffer.concat(chunks).subarray(0, READ_BYTES).toString('utf8'),
              latencyMs: elapsed(),
            });
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
            if (size >= READ_BYTES) {
              done();
              res.destroy();
            }
          });
          res.on('end', done);
          res.on('error', done);
          res.on('close', done);
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${request.timeoutMs} ms`));
      }, request.timeoutMs);
      req.on('error', (err) => finish({ kind: 'failed', reason: err.message, latencyMs: elapsed() }));
      req.end(request.body);
    });
  }
}

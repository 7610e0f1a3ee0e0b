/**
 * The local runtime's DynamoDB Local listens on 127.0.0.1 only: a database full of (demo or real)
 * customer data must not be reachable from the network the developer's machine is on.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDbLocal, startDynamoDbLocal } from '../../local/dynamodb-local';

let db: DynamoDbLocal;

beforeAll(async () => {
  db = await startDynamoDbLocal({ dbPath: null });
});

afterAll(async () => {
  await db?.stop();
});

/** Local addresses the kernel has a listening TCP socket on for this port (from /proc/net/tcp{,6}). */
function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      // State 0A is LISTEN.
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) out.push(local.split(':')[0] ?? '');
    }
  }
  return out;
}

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });

describe('DynamoDB Local on the network', () => {
  it('listens on 127.0.0.1 only', async () => {
    // 127.0.0.1 in /proc's little-endian hex, on its own or IPv4-mapped in tcp6 (Java's dual stack);
    // 00000000 (or all zeros in tcp6) would be every interface.
    const loopback = ['0100007F', '0000000000000000FFFF00000100007F'];
    const listening = listeningAddresses(db.port);
    expect(listening.length).toBeGreaterThan(0);
    for (const address of listening) expect(loopback, address).toContain(address);
    expect(await connects('127.0.0.1', db.port)).toBe(true);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a?.address);
    for (const address of external) if (address) expect(await connects(address, db.port), address).toBe(false);
  });
});

/**
 * Port helpers. Only 127.0.0.1 is probed: the local runtime never listens on other interfaces itself.
 */
import net from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A port the OS considers free right now (there is a small race until the caller binds it). */
export async function findFreePort(host = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

/**
 * Whether something already accepts connections on the port. A connect probe rather than a trial
 * bind: DynamoDB Local binds all interfaces, which a bind on 127.0.0.1 alone would not notice on
 * every platform.
 */
export async function isPortInUse(port: number, host = LOOPBACK): Promise<boolean> {
  const connectable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
  if (connectable) return true;
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(true));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

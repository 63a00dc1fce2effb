import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of the test cluster, to play a network partition: `cut()` keeps every
 * connection open but stops relaying in both directions (a lost route answers nothing; it does
 * not reset), and later connections hang too. `close()` ends it all.
 */
export interface Partitionable {
  port: number;
  cut(): void;
  close(): Promise<void>;
}

export async function startProxy(targetPort: number): Promise<Partitionable> {
  const sockets = new Set<Socket>();
  let partitioned = false;
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    if (partitioned) return;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('error', () => {});
    upstream.on('close', () => sockets.delete(upstream));
    client.on('data', (chunk) => {
      if (!partitioned) upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      if (!partitioned) client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no proxy port');
  return {
    port: address.port,
    cut() {
      partitioned = true;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { documentTimestamp, emptySandboxData, type SandboxData } from './data.js';
import { loadSandboxDataFile, saveSandboxDataFile } from './data-file.js';
import { normalizeSandboxData } from './normalize.js';
import { checkFailRate, checkOptions, type RunningSandbox, type SandboxOptions } from './options.js';
import { RequestHandler } from './request-handler.js';
import { API_PREFIX, AUTHENTICATION_PATH } from './routes.js';
import { SandboxStore } from './store.js';

/**
 * Starts the Partner API simulator on loopback and resolves once it listens
 * (in a few milliseconds: it imports nothing beyond node:http and its own
 * files). Rejects with SandboxDataError for a bad data file or seed, with a
 * RangeError for an option out of range, and with the listen error (e.g.
 * EADDRINUSE) when the port is taken.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  checkOptions(options);
  const initial = await initialData(options);
  const handler = new RequestHandler(new SandboxStore(initial), options);
  const server = createServer(handler.listener);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const save = async () => {
    if (options.data !== undefined) await saveSandboxDataFile(options.data, handler.store.snapshot());
  };
  let stopping: Promise<void> | undefined;
  return {
    port,
    url,
    baseUrl: `${url}${API_PREFIX}`,
    authUrl: `${url}${AUTHENTICATION_PATH}`,
    requests: handler.requests,
    data: () => handler.store.snapshot(),
    save,
    setLatency: (latencyMs) => {
      handler.latencyMs = latencyMs;
    },
    setRateLimit: (rateLimit) => handler.limiter.setLimit(rateLimit),
    setFailRate: (failRate, faultKinds) => {
      checkFailRate(failRate, faultKinds);
      handler.faults.setFailRate(failRate, faultKinds);
    },
    failNext: (fault, count = 1) => handler.faults.failNext(fault, count),
    stop: () => {
      stopping ??= (async () => {
        handler.shutDown();
        await closeServer(server);
        await save();
      })();
      return stopping;
    },
  };
}

async function initialData(options: SandboxOptions): Promise<SandboxData> {
  const now = documentTimestamp(new Date());
  const fromFile = options.data === undefined ? undefined : await loadSandboxDataFile(options.data, now);
  if (fromFile !== undefined) return fromFile;
  return options.seed === undefined ? emptySandboxData() : normalizeSandboxData(options.seed, 'seed', now);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open until they time out.
    server.closeAllConnections();
  });
}

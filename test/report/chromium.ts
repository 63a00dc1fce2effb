import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/**
 * Debian's `chromium`, driven over the DevTools protocol on a pipe (no WebSocket,
 * no download: what `.ci/run` installs with apt-get). Every connection the browser
 * tries goes to a local proxy that answers nothing and logs the host, so neither
 * the page nor the browser's own housekeeping reaches the network.
 */
export const CHROMIUM = findChromium();

function findChromium(): string | undefined {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const folder of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(folder, 'chromium');
    if (folder !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** What the browser made of one page. */
export interface PageVisit {
  /** `document.body.innerText`: the words a person sees, in reading order. */
  text: string;
  /** Every request the page started (network, not `data:`), CSP-blocked ones included. */
  requests: { url: string; blockedBy?: string }[];
  /** Hosts that reached the logging proxy (the page's and the browser's own). */
  proxied: string[];
  /** The values of `evaluate`'s expressions, by name. */
  values: Record<string, unknown>;
  /** The whole page as a PNG. */
  screenshot: Buffer;
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--hide-scrollbars',
  '--remote-debugging-pipe',
];
const VISIT_TIMEOUT_MS = 25_000;

/** Opens `url` in a fresh headless Chromium at 1280 px wide, waits for load, and reports what it saw. */
export async function visitPage(url: string, evaluate: Record<string, string> = {}): Promise<PageVisit> {
  if (CHROMIUM === undefined) {
    throw new Error(
      'chromium is not installed: the report.html test needs Debian\'s "chromium" package (.ci/run installs it with apt-get)',
    );
  }
  const proxy = await startLoggingProxy();
  const profile = mkdtempSync(join(tmpdir(), 'omnize-chromium-'));
  const browser = spawn(
    CHROMIUM,
    [
      ...FLAGS,
      `--user-data-dir=${profile}`,
      `--proxy-server=http://127.0.0.1:${proxy.port}`,
      '--proxy-bypass-list=<-loopback>',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  browser.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => browser.once('exit', () => resolve()));
  const timer = setTimeout(() => browser.kill('SIGKILL'), VISIT_TIMEOUT_MS);
  try {
    const session = new DevToolsPipe(browser);
    const visit = await drive(session, url, evaluate);
    await session.send('Browser.close').catch(() => undefined);
    return { ...visit, proxied: [...proxy.hosts] };
  } catch (error) {
    throw new Error(`chromium: ${(error as Error).message}\n${stderr.join('').slice(-2000)}`);
  } finally {
    clearTimeout(timer);
    if (browser.exitCode === null && browser.signalCode === null) {
      // Browser.close was sent: give it a moment to leave by itself, then make sure.
      const killer = setTimeout(() => browser.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    }
    proxy.server.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function drive(pipe: DevToolsPipe, url: string, evaluate: Record<string, string>) {
  const { targetId } = (await pipe.send('Target.createTarget', { url: 'about:blank' })) as {
    targetId: string;
  };
  const { sessionId } = (await pipe.send('Target.attachToTarget', { targetId, flatten: true })) as {
    sessionId: string;
  };
  const page = (method: string, params: object = {}) => pipe.send(method, params, sessionId);
  const requests = new Map<string, { url: string; blockedBy?: string }>();
  pipe.on(sessionId, 'Network.requestWillBeSent', (params) => {
    const { requestId, request } = params as { requestId: string; request: { url: string } };
    if (!request.url.startsWith('data:')) requests.set(requestId, { url: request.url });
  });
  pipe.on(sessionId, 'Network.loadingFailed', (params) => {
    const { requestId, blockedReason } = params as { requestId: string; blockedReason?: string };
    const request = requests.get(requestId);
    if (request !== undefined && blockedReason !== undefined) request.blockedBy = blockedReason;
  });
  await page('Network.enable');
  await page('Page.enable');
  await page('Emulation.setDeviceMetricsOverride', {
    width: 1280,
    height: 900,
    deviceScaleFactor: 1,
    mobile: false,
  });
  const loaded = pipe.once(sessionId, 'Page.loadEventFired');
  await page('Page.navigate', { url });
  await loaded;
  const read = async (expression: string) => {
    const answer = (await page('Runtime.evaluate', { expression, returnByValue: true })) as {
      result: { value?: unknown };
    };
    return answer.result.value;
  };
  const values: Record<string, unknown> = {};
  for (const [name, expression] of Object.entries(evaluate)) values[name] = await read(expression);
  const text = String(await read('document.body.innerText'));
  const { cssContentSize } = (await page('Page.getLayoutMetrics')) as {
    cssContentSize: { width: number; height: number };
  };
  const shot = (await page('Page.captureScreenshot', {
    format: 'png',
    captureBeyondViewport: true,
    clip: { x: 0, y: 0, width: 1280, height: Math.ceil(cssContentSize.height), scale: 1 },
  })) as { data: string };
  return { text, requests: [...requests.values()], values, screenshot: Buffer.from(shot.data, 'base64') };
}

type Listener = (params: unknown) => void;

/** The DevTools protocol over `--remote-debugging-pipe`: JSON messages ended by NUL, commands on fd 3, answers on fd 4. */
class DevToolsPipe {
  private nextId = 1;
  private buffered = '';
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private readonly listeners = new Map<string, Listener[]>();
  private readonly input: Writable;

  constructor(browser: ChildProcess) {
    this.input = browser.stdio[3] as Writable;
    const output = browser.stdio[4] as Readable;
    output.on('data', (chunk: Buffer) => this.receive(chunk.toString('utf8')));
    browser.on('exit', (code, signal) => {
      for (const { reject } of this.pending.values()) reject(new Error(`exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  send(method: string, params: object = {}, sessionId?: string): Promise<unknown> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.input.write(`${message}\0`);
    });
  }

  on(sessionId: string, method: string, listener: Listener): void {
    const key = `${sessionId} ${method}`;
    this.listeners.set(key, [...(this.listeners.get(key) ?? []), listener]);
  }

  once(sessionId: string, method: string): Promise<unknown> {
    return new Promise((resolve) => {
      let done = false;
      this.on(sessionId, method, (params) => {
        if (!done) resolve(params);
        done = true;
      });
    });
  }

  private receive(text: string): void {
    this.buffered += text;
    let end = this.buffered.indexOf('\0');
    while (end !== -1) {
      const message = JSON.parse(this.buffered.slice(0, end)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
        method?: string;
        params?: unknown;
        sessionId?: string;
      };
      this.buffered = this.buffered.slice(end + 1);
      end = this.buffered.indexOf('\0');
      if (message.id !== undefined) {
        const waiter = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (message.error !== undefined) waiter?.reject(new Error(message.error.message));
        else waiter?.resolve(message.result);
      } else if (message.method !== undefined) {
        for (const listener of this.listeners.get(`${message.sessionId} ${message.method}`) ?? []) {
          listener(message.params);
        }
      }
    }
  }
}

/** An HTTP proxy on loopback that refuses everything and remembers which hosts were asked for. */
async function startLoggingProxy(): Promise<{ server: Server; port: number; hosts: Set<string> }> {
  const hosts = new Set<string>();
  const server = createServer((request, response) => {
    hosts.add(request.headers.host ?? request.url ?? '');
    response.writeHead(403).end();
  });
  server.on('connect', (request, socket) => {
    hosts.add((request.url ?? '').replace(/:\d+$/, ''));
    // A CONNECT socket is ours once handed over: the browser may reset it as it gives up, and a
    // reset without a listener would be an uncaught exception failing the whole test run.
    socket.on('error', () => undefined);
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, hosts };
}

// The fault proxy slows links down without ever reordering or losing bytes: a WebSocket stream
// whose frames arrive out of order is garbage, which no real network produces over TCP.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../../tools/fault-proxy';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sink: Server | null = null;
let proxy: FaultProxy | null = null;

afterEach(async () => {
  await proxy?.close();
  await new Promise<void>((r) => (sink ? sink.close(() => r()) : r()));
  sink = proxy = null;
});

/** A server that keeps every byte it receives; resolves with them when the client closes. */
async function startSink(): Promise<{ port: number; received: Promise<Buffer> }> {
  let resolve!: (b: Buffer) => void;
  const received = new Promise<Buffer>((r) => (resolve = r));
  sink = createServer((s: Socket) => {
    const parts: Buffer[] = [];
    s.on('data', (c) => parts.push(c));
    s.on('end', () => resolve(Buffer.concat(parts)));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => sink!.listen(0, '127.0.0.1', r));
  return { port: (sink.address() as { port: number }).port, received };
}

/** Delays that fall as they go: without ordering, each chunk would overtake the one before. */
function falling(): () => number {
  let i = 0;
  return () => 1 - ((i++ % 20) + 1) / 21;
}

describe('fault proxy jitter and latency', () => {
  it('delivers every chunk in the order it was sent under jitter, however the delays fall', async () => {
    const { port, received } = await startSink();
    proxy = await FaultProxy.start({ host: '127.0.0.1', port });
    proxy.setJitter(40, falling());
    const c = createConnection({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => c.once('connect', r));
    c.setNoDelay(true);
    const sent: Buffer[] = [];
    for (let i = 0; i < 120; i++) {
      const chunk = Buffer.from(`<${i}:${'x'.repeat(i % 7)}>`);
      sent.push(chunk);
      c.write(chunk);
      await sleep(i % 3 === 0 ? 1 : 0);
    }
    await sleep(100);
    c.end();
    expect((await received).toString()).toBe(Buffer.concat(sent).toString());
  });

  it('keeps order when latency and jitter change while bytes are in flight', async () => {
    const { port, received } = await startSink();
    proxy = await FaultProxy.start({ host: '127.0.0.1', port });
    const c = createConnection({ host: '127.0.0.1', port: proxy.port });
    await new Promise((r) => c.once('connect', r));
    c.setNoDelay(true);
    const sent: string[] = [];
    for (let i = 0; i < 60; i++) {
      if (i === 10) proxy.setLatency(60);
      if (i === 20) proxy.setJitter(30, falling());
      if (i === 35) proxy.setLatency(0);
      if (i === 45) proxy.setJitter(0);
      const chunk = `[${i}]`;
      sent.push(chunk);
      c.write(chunk);
      await sleep(2);
    }
    await sleep(150);
    c.end();
    expect((await received).toString()).toBe(sent.join(''));
  });
});

// A TCP proxy between a client and the server that can hurt the connection the way real networks
// do: cut it (both sides closed at once), black-hole it (bytes stop flowing but nothing closes,
// as in a tunnel), half-open it (one direction stops), or slow it down (a fixed latency, or a
// jitter that never reorders bytes). One proxy per test, or per player in the soak.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Link {
  client: Socket;
  upstream: Socket;
  holed: boolean;
  /** Bytes going this way are dropped for good: a stream missing bytes can never flow again. */
  mute: Direction | null;
}

export interface Target {
  host: string;
  port: number;
}

/** Which way bytes stop in a half-open link: to the server, or back to the client. */
export type Direction = 'up' | 'down';

export class FaultProxy {
  private readonly links = new Set<Link>();
  private latencyMs = 0;
  private jitterMs = 0;
  private holeNew = false;
  private refuseNew = false;
  private muteNew: Direction | null = null;
  private random: () => number = Math.random;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** `target`: where every connection goes, or a function asked at each new connection (routing). */
  static async start(target: Target | (() => Target)): Promise<FaultProxy> {
    let proxy: FaultProxy | null = null;
    const route = typeof target === 'function' ? target : () => target;
    const server = createServer((client) => proxy?.accept(client, route()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('proxy has no port');
    proxy = new FaultProxy(server, addr.port);
    return proxy;
  }

  private accept(client: Socket, target: Target): void {
    if (this.refuseNew) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    const link: Link = { client, upstream, holed: this.holeNew, mute: this.muteNew };
    this.links.add(link);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const forward = (from: Socket, to: Socket, dir: Direction) => {
      // One queue per direction, drained by one timer at a time: a chunk never overtakes the one
      // before it, whatever delays were drawn (two timers due in the same millisecond may fire
      // in either order, which would corrupt the stream).
      const queue: { chunk: Buffer; at: number }[] = [];
      let draining = false;
      const drain = () => {
        while (queue.length && queue[0].at <= Date.now()) {
          const { chunk } = queue.shift()!;
          if (!link.holed && !to.destroyed) to.write(chunk);
        }
        draining = queue.length > 0;
        if (draining) setTimeout(drain, queue[0].at - Date.now());
      };
      from.on('data', (chunk: Buffer) => {
        if (link.holed || link.mute === dir) return;
        const delay = this.latencyMs + (this.jitterMs > 0 ? this.random() * this.jitterMs : 0);
        if (delay <= 0 && queue.length === 0) {
          if (!to.destroyed) to.write(chunk);
          return;
        }
        const last = queue.length ? queue[queue.length - 1].at : 0;
        queue.push({ chunk, at: Math.max(last, Date.now() + delay) });
        if (!draining) {
          draining = true;
          setTimeout(drain, queue[0].at - Date.now());
        }
      });
    };
    forward(client, upstream, 'up');
    forward(upstream, client, 'down');
    const close = () => {
      // A black-holed or half-open link stays open on both ends: that is the point.
      if (link.holed || link.mute !== null) {
        if (client.destroyed && upstream.destroyed) this.links.delete(link);
        return;
      }
      client.destroy();
      upstream.destroy();
      this.links.delete(link);
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }

  /** Number of connections currently open through the proxy. */
  get connections(): number {
    return this.links.size;
  }

  /** Closes both sides of every current connection at once. */
  cutAll(): void {
    for (const l of this.links) {
      l.holed = false;
      l.client.destroy();
      l.upstream.destroy();
    }
    this.links.clear();
  }

  /** Stops all traffic on current connections without closing them; optionally new ones too. */
  blackhole(opts: { newConnections?: boolean } = {}): void {
    for (const l of this.links) l.holed = true;
    this.holeNew = opts.newConnections ?? false;
  }

  /**
   * A partition that fails fast: every connection is cut and new ones are closed at once, as
   * when the far side is unreachable and says so.
   */
  partition(): void {
    this.refuseNew = true;
    this.cutAll();
  }

  /** Lets new connections through again, both ways (black-holed and half-open ones stay dead). */
  heal(): void {
    this.holeNew = false;
    this.refuseNew = false;
    this.muteNew = null;
  }

  /**
   * Half-open: bytes going `dir` stop on every open connection, for good, and on new ones until
   * heal(); nothing closes. (A stream that lost bytes cannot resume, so healed links stay mute.)
   */
  halfOpen(dir: Direction): void {
    for (const l of this.links) l.mute = dir;
    this.muteNew = dir;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Adds a random delay of up to `ms` to every chunk, drawn from `random` (never reorders). */
  setJitter(ms: number, random: () => number = Math.random): void {
    this.jitterMs = ms;
    this.random = random;
  }

  async close(): Promise<void> {
    for (const l of this.links) {
      l.client.destroy();
      l.upstream.destroy();
    }
    this.links.clear();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

// A TCP proxy between a client and the server that can hurt the connection the way real networks
// do: cut it (both sides closed at once), black-hole it (bytes stop flowing but nothing closes,
// as in a tunnel), or slow it down. One proxy per test.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Link {
  client: Socket;
  upstream: Socket;
  holed: boolean;
}

export class FaultProxy {
  private readonly links = new Set<Link>();
  private latencyMs = 0;
  private holeNew = false;
  private refuseNew = false;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    let proxy: FaultProxy | null = null;
    const server = createServer((client) => proxy?.accept(client, target));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address();
    if (addr === null || typeof addr === 'string') throw new Error('proxy has no port');
    proxy = new FaultProxy(server, addr.port);
    return proxy;
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    if (this.refuseNew) {
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    const link: Link = { client, upstream, holed: this.holeNew };
    this.links.add(link);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk) => {
        if (link.holed) return;
        if (this.latencyMs > 0) setTimeout(() => !link.holed && !to.destroyed && to.write(chunk), this.latencyMs);
        else if (!to.destroyed) to.write(chunk);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      // A black-holed link stays open on both ends: that is the point.
      if (link.holed) return;
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

  /** Lets new connections through again (black-holed ones stay dead). */
  heal(): void {
    this.holeNew = false;
    this.refuseNew = false;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
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

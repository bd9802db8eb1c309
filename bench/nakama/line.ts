// A nakama-js socket for the benchmarks, in Node: match messages queued and awaited by op code.
import type { Client, Session, Socket } from '@heroiclabs/nakama-js';
import WebSocket from 'ws';

// nakama-js expects browser globals: a WebSocket, and `window` on its heartbeat path.
(globalThis as any).WebSocket ??= WebSocket;
(globalThis as any).window ??= globalThis;

export const enc = new TextEncoder();
const dec = new TextDecoder();
export const OP = { SNAPSHOT: 1, SEAT: 2, ACK: 4, ACTION: 100, RESYNC: 101 };

/** A socket with a queue of match messages that can be awaited by op code. */
export class Line {
  private readonly got: { op: number; body: any }[] = [];
  private wake: (() => void) | null = null;
  constructor(readonly socket: Socket) {
    socket.onmatchdata = (m) => {
      this.got.push({ op: Number(m.op_code), body: JSON.parse(dec.decode(m.data)) });
      this.wake?.();
    };
    socket.ondisconnect = () => undefined;
  }

  static async open(client: Client, session: Session): Promise<Line> {
    const socket = client.createSocket(false, false);
    await socket.connect(session, false);
    return new Line(socket);
  }

  /** Sends a match message as UTF-8 JSON. */
  send(matchId: string, op: number, body: unknown): Promise<void> {
    return this.socket.sendMatchState(matchId, op, enc.encode(JSON.stringify(body)));
  }

  /** Forgets every message received so far. */
  clear(): void {
    this.got.length = 0;
  }

  async next(op: number, where: (b: any) => boolean = () => true, timeoutMs = 10_000): Promise<any> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const i = this.got.findIndex((m) => m.op === op && where(m.body));
      if (i >= 0) return this.got.splice(0, i + 1)[i].body;
      if (performance.now() > until) throw new Error(`no op ${op} within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  }
}


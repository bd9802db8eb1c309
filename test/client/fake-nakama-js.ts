// A scripted stand-in for the parts of nakama-js the RejoinClient uses: Client (createSocket, rpc,
// sessionRefresh) and DefaultSocket (connect, joinMatch, sendMatchState, the on* callbacks). The
// test plays the server: it decides how each connect and join ends and what the match sends.
import type { Client, Session } from '@heroiclabs/nakama-js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export interface FakeSession {
  token: string;
  refresh_token: string;
  user_id: string;
  expiresAt: number;
  refreshExpiresAt: number;
  isexpired(t: number): boolean;
  isrefreshexpired(t: number): boolean;
}

export function fakeSession(token: string, expiresAtSec: number, refreshExpiresAtSec: number): FakeSession {
  return {
    token,
    refresh_token: `r-${token}`,
    user_id: 'user-1',
    expiresAt: expiresAtSec,
    refreshExpiresAt: refreshExpiresAtSec,
    isexpired(t) {
      return this.expiresAt - t < 0;
    },
    isrefreshexpired(t) {
      return this.refreshExpiresAt - t < 0;
    },
  };
}

export type JoinReply = { snapshot?: Record<string, unknown> } | { refuse: string; code?: number } | 'hang';

export class FakeSocket {
  onmatchdata: (m: { match_id: string; op_code: number; data: Uint8Array }) => void = () => undefined;
  ondisconnect: (e: unknown) => void = () => undefined;
  onheartbeattimeout: () => void = () => undefined;
  onerror: (e: unknown) => void = () => undefined;
  onmatchmakermatched: (m: unknown) => void = () => undefined;
  heartbeatMs = 0;
  open = false;
  connectedWith: string | null = null;
  readonly sent: { op: number; body: any }[] = [];
  readonly joins: { matchId: string; metadata: Record<string, string> | undefined }[] = [];
  matchId: string | null = null;

  constructor(private readonly server: FakeServer) {}

  setHeartbeatTimeoutMs(ms: number): void {
    this.heartbeatMs = ms;
  }

  async connect(session: FakeSession): Promise<FakeSession> {
    this.server.connects.push({ at: Date.now(), token: session.token });
    const fail = this.server.connectFailures.shift();
    if (fail) throw fail;
    if (session.isexpired(Date.now() / 1000)) throw { message: 'Unexpected server response: 401' };
    this.open = true;
    this.connectedWith = session.token;
    return session;
  }

  async joinMatch(matchId: string, _mmToken: string | undefined, metadata?: Record<string, string>): Promise<unknown> {
    this.joins.push({ matchId, metadata });
    this.server.joins.push({ at: Date.now(), matchId, metadata });
    const reply = this.server.joinReplies.shift() ?? { snapshot: {} };
    if (reply === 'hang') return new Promise(() => undefined);
    if ('refuse' in reply) throw { code: reply.code ?? 5, message: reply.refuse };
    this.matchId = matchId;
    // The match sends the SNAPSHOT from matchJoin, after the join answer.
    setTimeout(() => this.deliver(1, { ...this.server.snapshot(), ...reply.snapshot }), 1);
    return { match_id: matchId };
  }

  async sendMatchState(_matchId: string, op: number, data: Uint8Array): Promise<void> {
    if (!this.open) throw new Error('Socket connection has not been established yet.');
    this.sent.push({ op, body: JSON.parse(dec.decode(data)) });
  }

  async leaveMatch(): Promise<void> {}

  async addMatchmaker(): Promise<unknown> {
    return { ticket: 't' };
  }

  disconnect(fire = true): void {
    this.open = false;
    if (fire) this.ondisconnect({});
  }

  /** The server sends a match message. */
  deliver(op: number, body: unknown): void {
    this.onmatchdata({ match_id: this.matchId ?? '', op_code: op, data: enc.encode(JSON.stringify(body)) });
  }

  /** The link dies and the socket notices (close event). */
  drop(): void {
    this.open = false;
    this.ondisconnect({});
  }

  actions(): any[] {
    return this.sent.filter((m) => m.op === 100).map((m) => m.body);
  }
}

export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  readonly connects: { at: number; token: string }[] = [];
  readonly joins: { at: number; matchId: string; metadata: Record<string, string> | undefined }[] = [];
  readonly rpcs: { id: string; payload: any; token: string }[] = [];
  connectFailures: unknown[] = [];
  joinReplies: JoinReply[] = [];
  rpcReplies: Record<string, unknown[]> = {};
  refreshes = 0;
  refreshFails: unknown = null;
  tokenCounter = 0;
  seq = 0;
  base: Record<string, unknown> = { tickRate: 10, graceTicks: 30, mode: 'e2e' };

  /** A default SNAPSHOT with a new token, as on any join. */
  snapshot(): Record<string, unknown> {
    this.tokenCounter++;
    return {
      seq: this.seq,
      tick: 1,
      you: { seat: 0, userId: 'user-1' },
      token: tokenOf(this.tokenCounter),
      resumed: this.tokenCounter > 1,
      lastActionSeq: 0,
      seats: [],
      round: { endTick: 100, ticksLeft: 99 },
      game: {},
      ...this.base,
    };
  }

  get last(): FakeSocket {
    return this.sockets[this.sockets.length - 1];
  }

  client(): Client {
    const server = this;
    const c = {
      useSSL: false,
      createSocket: () => {
        const s = new FakeSocket(server);
        server.sockets.push(s);
        return s;
      },
      async rpc(session: FakeSession, id: string, payload: unknown) {
        server.rpcs.push({ id, payload, token: session.token });
        const next = (server.rpcReplies[id] ?? []).shift();
        if (next === undefined) throw new TypeError(`no scripted answer for rpc ${id}`);
        if (next instanceof Error || next instanceof Response) throw next;
        return { id, payload: next };
      },
      async sessionRefresh(session: FakeSession) {
        server.refreshes++;
        if (server.refreshFails) throw server.refreshFails;
        session.token = `${session.token}+`;
        session.expiresAt = Date.now() / 1000 + 3600;
        return session;
      },
    };
    return c as unknown as Client;
  }
}

/** A 64-hex reconnect token, recognisable by its number. */
export function tokenOf(n: number): string {
  return n.toString(16).padStart(64, 'a');
}

export function asSession(s: FakeSession): Session {
  return s as unknown as Session;
}

// The client library when the login expires during a drop. Needs login tokens that expire within
// seconds, so it starts a server of its own (same binary, same config, two session flags) when the
// suite itself started one from a binary; against an external server it is skipped and says so.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, type Session } from '@heroiclabs/nakama-js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RejoinClient, type RejoinEvents } from '../../client';
import { eventually, sleep } from './harness/client';
import { FaultProxy } from '../../tools/fault-proxy';
import { discover, startServer, type StartedServer } from '../../tools/nakama-server.mjs';

/** The binary the suite started its server from (run.mjs sets NAKAMA_CONTROL_URL only then). */
function ownBinary(): string | null {
  if (!process.env.NAKAMA_CONTROL_URL) return null;
  const saved = process.env.NAKAMA_URL;
  delete process.env.NAKAMA_URL;
  try {
    const found = discover();
    return found.kind === 'binary' ? found.bin : null;
  } finally {
    if (saved !== undefined) process.env.NAKAMA_URL = saved;
  }
}

const bin = ownBinary();
const TOKEN_SEC = 2;
const REFRESH_SEC = 6;

describe.skipIf(!bin)(
  `client library: login expired during the drop (${bin ? `own server, ${TOKEN_SEC} s login tokens, ${REFRESH_SEC} s refresh tokens` : 'SKIPPED: needs a nakama binary the suite started itself, to start a second server with short login tokens'})`,
  () => {
    let server: StartedServer;
    let url: URL;
    const tokens = new Set<string>();
    const cleanup: (() => Promise<void> | void)[] = [];

    beforeAll(async () => {
      server = await startServer(bin as string, {
        extraArgs: ['--session.token_expiry_sec', String(TOKEN_SEC), '--session.refresh_token_expiry_sec', String(REFRESH_SEC)],
        logPrefix: 'short-login',
      });
      url = new URL(server.url);
    }, 60_000);
    afterEach(async () => {
      for (const f of cleanup.splice(0).reverse()) await f();
    });
    afterAll(async () => {
      if (!server) return;
      const log = readFileSync(server.logFile, 'utf8');
      await server.stop();
      expect([...tokens].filter((t) => log.includes(t)), 'tokens found in the server log').toEqual([]);
    });

    async function setUp(opts: { reauthenticate?: () => Promise<Session> } = {}) {
      const client = new Client('defaultkey', url.hostname, url.port, false);
      const customId = `login-${randomUUID()}`;
      const session = await client.authenticateCustom(customId, true);
      const matchId = ((await client.rpc(session, 'match_create', { mode: 'casual' })).payload as { matchId: string }).matchId;
      const proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port) });
      const rc = new RejoinClient({ client, session, reauthenticate: opts.reauthenticate, socketClient: new Client('defaultkey', '127.0.0.1', String(proxy.port), false), heartbeatMs: 1000, log: process.env.RC_DEBUG ? (m, f) => console.log('[rc]', m, JSON.stringify(f)) : undefined });
      const seen: Partial<Record<keyof RejoinEvents, unknown[]>> = {};
      for (const e of ['resumed', 'seatLost', 'reconnecting'] as const) rc.on(e, (x) => (seen[e] ??= []).push(x));
      rc.on('snapshot', (s) => s.token && tokens.add(s.token));
      cleanup.push(
        () => proxy.close(),
        () => rc.close(),
      );
      await rc.joinMatch(matchId);
      return { client, customId, session, matchId, proxy, rc, seen };
    }

    /** Whether the server still takes this login on a new socket. */
    async function socketAccepts(client: Client, session: Session): Promise<boolean> {
      const socket = client.createSocket(false, false);
      try {
        await socket.connect(session, false);
        socket.disconnect(false);
        return true;
      } catch {
        return false;
      }
    }

    it('refreshes the expired login before it reconnects, and resumes', async () => {
      const { client, rc, proxy, seen } = await setUp();
      const stale = Object.assign(Object.create(Object.getPrototypeOf(rc.session)), rc.session) as Session;
      // The open socket outlives its login token; a new one needs a fresh token.
      await eventually(() => rc.session.isexpired(Date.now() / 1000), 10_000, 100);
      expect(rc.session.isrefreshexpired(Date.now() / 1000)).toBe(false);
      expect(await socketAccepts(client, stale)).toBe(false);
      proxy.cutAll();
      await eventually(() => (seen.resumed ?? []).length === 1, 8000);
      expect(rc.session.token).not.toBe(stale.token);
      expect(rc.session.isexpired(Date.now() / 1000)).toBe(false);
      expect(seen.seatLost ?? []).toEqual([]);
    }, 30_000);

    it('signs in again through the app when the refresh token has expired too', async () => {
      let signIns = 0;
      let clientRef: Client | null = null;
      let customIdRef = '';
      const { client, customId, rc, proxy, seen } = await setUp({
        reauthenticate: async () => {
          signIns++;
          return (clientRef as Client).authenticateCustom(customIdRef, false);
        },
      });
      clientRef = client;
      customIdRef = customId;
      await eventually(() => rc.session.isrefreshexpired(Date.now() / 1000), 15_000, 200);
      await sleep(200);
      proxy.cutAll();
      await eventually(() => (seen.resumed ?? []).length === 1, 10_000);
      expect(signIns).toBe(1);
      expect(rc.session.isexpired(Date.now() / 1000)).toBe(false);
    }, 40_000);
  },
);

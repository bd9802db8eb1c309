// npm run demo: two bots play a round of the arena's demo game. Mid-round, alice's connection is
// cut, and later black-holed (bytes stop, nothing closes). The client library brings her back
// each time; the terminal shows a live status line per player, and the run ends with both scores
// checked against what each bot sent. Exit 0 when both scores are intact, 2 when not, 1 when no
// server could be had.
//
// Server: NAKAMA_URL (a running one, e.g. `docker compose up`), else a nakama binary started here
// as the integration suite does (NAKAMA_BIN or PATH, PostgreSQL at DATABASE_URL).
import { randomUUID } from 'node:crypto';
import { Client } from '@heroiclabs/nakama-js';
import WebSocket from 'ws';
import { RejoinClient, type SnapshotMessage } from '../client';
import { FaultProxy } from '../tools/fault-proxy';
import { discover, startServer } from '../tools/nakama-server.mjs';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

const ACTIONS = 40;
const EVERY_MS = 150;
const CUT_AT = 10;
const HOLE_AT = 25;
const MODE = 'casual'; // 20 s grace window, 10 ticks a second

interface DemoGame {
  seats: { score: number }[];
}

interface Line {
  name: string;
  link: string;
  state: string;
  sent: number;
  acked: number;
  score: number;
}

// On a terminal: one status line per player, redrawn in place, with notes scrolling above them.
// Elsewhere (a CI log): a line whenever a player's link or state changes.
const tty = process.stdout.isTTY === true;
let drawn = 0;
const printed = new Map<string, string>();
const render = (l: Line) => `${l.name.padEnd(6)} link ${l.link.padEnd(11)} ${l.state.padEnd(54)} sent ${String(l.sent).padStart(2)}  acked ${String(l.acked).padStart(2)}  score ${String(l.score).padStart(2)}`;

function draw(lines: Line[]): void {
  if (tty) {
    if (drawn) process.stdout.write(`\x1b[${drawn}A`);
    for (const l of lines) process.stdout.write(`\x1b[2K  ${render(l)}\n`);
    drawn = lines.length;
    return;
  }
  for (const l of lines) {
    const key = `${l.link}|${l.state}`;
    if (printed.get(l.name) === key) continue;
    printed.set(l.name, key);
    console.log(`  ${render(l)}`);
  }
}

function note(lines: Line[], text: string): void {
  if (tty && drawn) process.stdout.write(`\x1b[${drawn}A\x1b[J`);
  drawn = 0;
  console.log(`  > ${text}`);
  draw(lines);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  const found = discover();
  if (found.kind === 'none') {
    console.log(`demo not run: ${found.reason}`);
    return 1;
  }
  if (found.kind === 'binary') console.log(`starting ${found.bin} in a fresh database…`);
  const server = found.kind === 'binary' ? await startServer(found.bin, { logPrefix: 'demo' }) : null;
  const proxies: FaultProxy[] = [];
  const clients: RejoinClient[] = [];
  try {
    const url = new URL(found.kind === 'external' ? found.url : (server as { url: string }).url);
    const ssl = url.protocol === 'https:';
    const port = url.port || (ssl ? '443' : '80');
    const http = new Client(process.env.NAKAMA_SERVER_KEY ?? 'defaultkey', url.hostname, port, ssl);
    const lines: Line[] = [];

    const bots = await Promise.all(
      ['alice', 'bob'].map(async (name) => {
        // Each bot's match socket runs through a fault proxy of its own; its RPCs go direct.
        const proxy = await FaultProxy.start({ host: url.hostname, port: Number(port) });
        proxies.push(proxy);
        const session = await http.authenticateCustom(`demo-${name}-${randomUUID()}`, true, `${name}${Math.floor(Math.random() * 1e6)}`);
        const rc = new RejoinClient({ client: http, session, socketClient: new Client(process.env.NAKAMA_SERVER_KEY ?? 'defaultkey', '127.0.0.1', String(proxy.port), false), heartbeatMs: 1000 });
        clients.push(rc);
        const line: Line = { name, link: 'up', state: 'joining', sent: 0, acked: 0, score: 0 };
        lines.push(line);
        let droppedAt = 0;
        const applyScore = (s: SnapshotMessage) => (line.score = (s.game as DemoGame).seats[s.you.seat].score);
        rc.on('snapshot', applyScore);
        rc.on('connected', (e) => {
          line.link = 'up';
          line.state = e.resumed ? `resumed seat ${e.seat}, ${Date.now() - droppedAt} ms after noticing the drop` : `playing, seat ${e.seat}`;
          draw(lines);
        });
        rc.on('reconnecting', (e) => {
          if (e.attempt === 1) droppedAt = Date.now();
          line.state = `reconnecting (${e.reason}), try ${e.attempt}, ${(e.msLeft / 1000).toFixed(1)} s left`;
          draw(lines);
        });
        rc.on('resumed', (e) => note(lines, `${name}: back in seat ${e.seat}; the server had processed her actions up to #${e.snapshot.lastActionSeq}, the rest are resent`));
        rc.on('seatLost', (e) => {
          line.state = `SEAT LOST: ${e.reason}`;
          draw(lines);
        });
        rc.on('ack', () => {
          line.acked++;
          draw(lines);
        });
        rc.on('event', (e) => {
          if (e.type === 'scored' && e.seat === rc.seat) line.score = e.score as number;
          draw(lines);
        });
        return { name, rc, proxy, line };
      }),
    );

    const created = await http.rpc(bots[0].rc.session, 'match_create', { mode: MODE });
    const matchId = (created.payload as { matchId: string }).matchId;
    console.log(`\nmatch ${matchId} (mode ${MODE}, 20 s grace): each bot adds 1 point, ${ACTIONS} times, one every ${EVERY_MS} ms`);
    console.log(`alice's link is cut after action ${CUT_AT} and black-holed after action ${HOLE_AT}\n`);
    for (const b of bots) await b.rc.joinMatch(matchId);
    draw(lines);

    const [alice] = bots;
    for (let i = 1; i <= ACTIONS; i++) {
      for (const b of bots) {
        b.rc.sendAction({ type: 'add', amount: 1 });
        b.line.sent++;
      }
      if (i === CUT_AT) {
        alice.line.link = 'CUT';
        note(lines, `after action ${i}: alice's connection is cut (both ends closed at once)`);
        alice.proxy.cutAll();
      }
      if (i === HOLE_AT) {
        alice.line.link = 'BLACK HOLE';
        note(lines, `after action ${i}: alice's connection is black-holed (bytes stop, nothing closes)`);
        alice.proxy.blackhole();
      }
      draw(lines);
      await sleep(EVERY_MS);
    }

    // Wait until every action of both bots has been processed, then ask for a fresh snapshot.
    const until = Date.now() + 25_000;
    while (Date.now() < until && bots.some((b) => b.rc.state !== 'live' || b.rc.unacknowledged.length > 0)) await sleep(100);
    const finals = await Promise.all(
      bots.map(
        (b) =>
          new Promise<number | null>((resolve) => {
            if (b.rc.state !== 'live') return resolve(null);
            const t = setTimeout(() => resolve(null), 3000);
            const once = (s: SnapshotMessage) => {
              clearTimeout(t);
              b.rc.off('snapshot', once);
              resolve((s.game as DemoGame).seats[s.you.seat].score);
            };
            b.rc.on('snapshot', once);
            b.rc.resync();
          }),
      ),
    );
    draw(lines);
    console.log('');
    let intact = true;
    bots.forEach((b, i) => {
      const ok = finals[i] === ACTIONS;
      intact &&= ok;
      console.log(`  ${b.name}: final score ${finals[i] ?? 'unknown'} for ${ACTIONS} actions sent: ${ok ? 'intact' : 'NOT INTACT'}`);
    });
    console.log(intact ? '\nboth scores intact: no action lost, none applied twice' : '\nSCORES NOT INTACT');
    for (const b of bots) await b.rc.quit();
    return intact ? 0 : 2;
  } finally {
    for (const c of clients) c.close();
    for (const p of proxies) await p.close();
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);

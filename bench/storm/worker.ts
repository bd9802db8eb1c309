// One load generator of the reconnect storm (bench/storm.ts forks WORKERS of these): its share of
// the players, each a real RejoinClient on its own sockets, driven by the parent's orders.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client } from '@heroiclabs/nakama-js';
import WebSocket from 'ws';
import { RejoinClient } from '../../client';
import type { BotResult, FromWorker, SeatOrder, ToWorker } from './messages';

(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
(globalThis as { window?: unknown }).window ??= globalThis;

interface Bot extends BotResult {
  rc: RejoinClient;
}
const bots: Bot[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tell = (m: FromWorker) => process.send?.(m);
let playing = false;
// How late this process's event loop ran through the storm: the delay a saturated load generator
// would add to every time it measures.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });

/** Seats `players` players, `seats` to a match, each match created by its first player. */
async function seat({ server, proxyPort, players, seats }: SeatOrder): Promise<void> {
  const http = new Client('defaultkey', server.host, server.port, false, 15_000);
  const via = new Client('defaultkey', '127.0.0.1', String(proxyPort), false, 15_000);
  while (bots.length < players) {
    const group: Bot[] = [];
    for (let i = 0; i < seats && bots.length < players; i++) {
      const session = await http.authenticateCustom(`storm-${randomUUID()}`, true);
      const rc = new RejoinClient({ client: http, session, socketClient: via, heartbeatMs: 5000, connectTimeoutMs: 10_000 });
      const bot: Bot = { rc, sent: 0, score: 0, lost: null, attempts: 0, resumedAt: [] };
      rc.on('snapshot', (snap) => (bot.score = (snap.game as { seats: { score: number }[] }).seats[snap.you.seat].score));
      rc.on('event', (e) => {
        if (e.type === 'scored' && e.seat === rc.seat) bot.score = e.score as number;
      });
      rc.on('reconnecting', (e) => (bot.attempts = Math.max(bot.attempts, e.attempt)));
      rc.on('resumed', () => bot.resumedAt.push(Date.now()));
      rc.on('seatLost', (e) => (bot.lost = e.reason));
      rc.on('ended', (e) => (bot.lost = `ended ${e.reason}`));
      group.push(bot);
      bots.push(bot);
    }
    const matchId = ((await http.rpc(group[0].rc.session, 'match_create', { mode: 'storm' })).payload as { matchId: string }).matchId;
    await Promise.all(group.map((b) => b.rc.joinMatch(matchId)));
  }
}

/** Every player adds 1 point a second while playing. */
async function play(): Promise<void> {
  playing = true;
  while (playing) {
    for (const b of bots) {
      if (b.lost === null) {
        b.rc.sendAction({ type: 'add', amount: 1 });
        b.sent++;
      }
    }
    await sleep(1000);
  }
}

/** Says "settled" once every player has had its SNAPSHOT since the cut or lost its seat, or at the deadline. */
async function settle(cutAt: number, deadline: number): Promise<void> {
  loopDelay.enable();
  while (Date.now() < deadline && bots.some((b) => b.lost === null && !b.resumedAt.some((t) => t >= cutAt))) await sleep(100);
  loopDelay.disable();
  tell({ type: 'settled', loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } });
}

/** Stops playing, lets every pending action be acknowledged, then reports each player. */
async function finish(): Promise<void> {
  playing = false;
  await sleep(3000);
  for (const b of bots) b.rc.resync();
  await sleep(2000);
  for (const b of bots) b.rc.close();
  // Sent, and the worker stays until the parent disconnects: a worker that exited once its send
  // was written could be seen gone before the parent had read the whole (large) message.
  tell({ type: 'results', bots: bots.map(({ rc: _, ...r }) => r) });
}

// A worker never outlives the parent that counts its results.
process.on('disconnect', () => process.exit(0));
process.on('message', (m: ToWorker) => {
  if (m.type === 'seat') void seat(m).then(() => tell({ type: 'seated' }));
  else if (m.type === 'play') void play();
  else if (m.type === 'cut') void settle(m.cutAt, m.deadline);
  else if (m.type === 'finish') void finish();
});

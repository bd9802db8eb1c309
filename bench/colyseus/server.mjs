// Colyseus 0.17 reference server for the rejoin benchmark: a 2-seat `arena` room shaped like the
// Nakama demo match. A dropped seat is held the way Colyseus documents reconnection: onDrop marks
// it disconnected and calls Room#allowReconnection, onReconnect marks it connected again, onLeave
// frees it. Runs as its own process so it never shares an event loop with the client.
//
// bench/package.json pins @colyseus/core 0.17.28 on purpose: from 0.17.33 on (and in 0.18) the server
// reads the global `WebSocket` when a client reconnects, which Node 20 does not have, so every
// reconnection fails with `ReferenceError: WebSocket is not defined`. express is a dependency
// only because @colyseus/ws-transport 0.17 imports it, while declaring it an optional peer.
//
//   node bench/colyseus/server.mjs [port]     (or PORT=...; 0 picks a free port)
// Prints `COLYSEUS_READY <port>` once listening on 127.0.0.1.
import { Room, defineRoom, defineServer } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { schema } from '@colyseus/schema';

const SEATS = 2;
const ROUND_SEC = 300; // the `ranked` mode's round length
const MAX_ADD = 10;

const Seat = schema({ userId: 'string', connected: 'boolean', score: 'number', x: 'number', y: 'number' }, 'Seat');
const ArenaState = schema({ seats: [Seat], tick: 'number', roundEndTick: 'number' }, 'ArenaState');

function intIn(v, min, max, fallback) {
  return Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

class ArenaRoom extends Room {
  maxClients = SEATS;

  onCreate(options) {
    const tickRate = intIn(options.tickRate, 1, 60, 10);
    this.graceSec = intIn(options.graceSec, 1, 3600, 60);
    this.seatOf = new Map(); // sessionId -> seat index; survives a reconnection (same sessionId)
    const seats = [];
    for (let i = 0; i < SEATS; i++) seats.push(new Seat({ userId: '', connected: false, score: 0, x: i, y: i }));
    this.state = new ArenaState({ seats, tick: 0, roundEndTick: ROUND_SEC * tickRate });
    // Patches go out once per simulated tick, like a Nakama match broadcasting from its loop.
    this.setSimulationInterval(() => {
      if (this.state.tick < this.state.roundEndTick) this.state.tick++;
    }, 1000 / tickRate);
    this.patchRate = 1000 / tickRate;

    this.onMessage('add', (client, msg) => {
      const seat = this.seatFor(client);
      if (seat) seat.score += intIn(msg?.amount, 1, MAX_ADD, 1);
    });
    // Benchmark probe: lets the measuring client ask what the server holds right now instead of
    // waiting a patch interval, so it can tell when onLeave has run without racing it.
    this.onMessage('status', (client) => {
      client.send('status', this.state.seats.map((s) => ({ userId: s.userId, connected: s.connected, score: s.score })));
    });
  }

  onJoin(client, options) {
    const index = this.state.seats.findIndex((s) => s.userId === '');
    const seat = this.state.seats[index];
    this.seatOf.set(client.sessionId, index);
    seat.userId = typeof options?.userId === 'string' ? options.userId : client.sessionId;
    seat.connected = true;
    seat.score = 0;
    seat.x = index;
    seat.y = index;
  }

  // An abnormal close (no consented leave): hold the seat for graceSec. The same sessionId
  // reconnecting with the client's reconnection token brings onReconnect; running out of grace
  // brings onLeave.
  onDrop(client) {
    const seat = this.seatFor(client);
    if (!seat) return;
    seat.connected = false;
    this.allowReconnection(client, this.graceSec);
  }

  onReconnect(client) {
    const seat = this.seatFor(client);
    if (seat) seat.connected = true;
  }

  // A consented leave, or a dropped seat whose grace ran out: free the seat.
  onLeave(client) {
    const seat = this.seatFor(client);
    if (!seat) return;
    this.seatOf.delete(client.sessionId);
    seat.connected = false;
    seat.userId = '';
  }

  seatFor(client) {
    const index = this.seatOf.get(client.sessionId);
    return index === undefined ? undefined : this.state.seats[index];
  }
}

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const transport = new WebSocketTransport();
const server = defineServer({ transport, greet: false, rooms: { arena: defineRoom(ArenaRoom) } });
await server.listen(port, '127.0.0.1');
console.log(`COLYSEUS_READY ${transport.server.address().port}`);

// What the storm's parent and its load-generator workers say to each other over the fork's IPC
// channel (JSON). Times are wall-clock milliseconds (Date.now()), the one clock every process on
// the machine shares: the parent stamps the cut, each worker stamps its own clients' SNAPSHOTs.

export interface SeatOrder {
  type: 'seat';
  /** The server, for logins and match creation (not through the proxy). */
  server: { host: string; port: string };
  /** The fault proxy every match socket goes through. */
  proxyPort: number;
  players: number;
  seats: number;
}

/** Parent → worker, in this order. */
export type ToWorker = SeatOrder | { type: 'play' } | { type: 'cut'; cutAt: number; deadline: number } | { type: 'finish' };

/** One player's outcome. */
export interface BotResult {
  sent: number;
  score: number;
  /** Why its seat was lost, or null. */
  lost: string | null;
  attempts: number;
  /** When each rejoin's SNAPSHOT arrived. */
  resumedAt: number[];
}

/** Worker → parent: seated, then settled (every player back or lost, after the cut), then results. */
export type FromWorker = { type: 'seated' } | { type: 'settled'; loopDelayMs: { p99: number; max: number } } | { type: 'results'; bots: BotResult[] };

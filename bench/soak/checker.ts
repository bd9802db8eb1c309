// The soak's checks: pure functions over the players' records, the database's rows and the
// servers' log lines. Each returns the violations it found (empty: the promise held).
import { scoreBounds } from './ledger';
import type { CopyEvent, Stint, Violation } from './records';

interface DemoResult {
  scores: { seat: number; score: number; forfeited?: boolean }[];
}

function isDemoResult(r: unknown): r is DemoResult {
  return typeof r === 'object' && r !== null && Array.isArray((r as DemoResult).scores);
}

/**
 * END's result against every stint of that match: each seat's final score holds every action its
 * player saw processed (not lost with a killed copy) and nothing beyond what it sent.
 */
export function checkEnd(stints: readonly Stint[], result: unknown, at: number): Violation[] {
  if (!isDemoResult(result)) return stints.length ? [{ kind: 'end_without_result', at, lineage: stints[0].lineage, detail: `END result ${JSON.stringify(result)?.slice(0, 200)}` }] : [];
  const out: Violation[] = [];
  for (const s of stints) {
    const got = result.scores.find((x) => x.seat === s.seat)?.score;
    const { min, max } = scoreBounds(s);
    if (got === undefined || got < min || got > max) {
      // The latest actions counted, to tell which copy held them and when (the report keeps it).
      const recent = [...s.actions.values()].filter((a) => a.processedOn !== null && !a.lost && a.amount > 0).sort((a, b) => b.seq - a.seq).slice(0, 6);
      const trail = recent.map((a) => `#${a.seq} +${a.amount} ${a.ack ?? 'snapshot'} on ${a.processedOn?.slice(0, 8)} at ${a.ackAt ?? a.sentAt}`).join(', ');
      out.push({ kind: 'end_score_mismatch', at, bot: s.bot, lineage: s.lineage, detail: `END: seat ${s.seat} score ${got}, expected ${min === max ? min : `${min}..${max}`} (stay ended ${s.end?.kind ?? 'open'} at ${s.end?.at ?? '-'}; latest counted: ${trail})` });
    }
  }
  return out;
}

/**
 * Never two live copies: once a player has a SNAPSHOT from a newer copy of a match, no copy
 * before it may hand out a SNAPSHOT or apply an action more than `slackMs` later (the slack
 * covers messages already on their way through a slow link).
 */
export function checkOneCopy(events: readonly CopyEvent[], slackMs: number): Violation[] {
  const byLineage = new Map<string, CopyEvent[]>();
  for (const e of events) {
    const list = byLineage.get(e.lineage) ?? [];
    list.push(e);
    byLineage.set(e.lineage, list);
  }
  const out: Violation[] = [];
  for (const [lineage, list] of byLineage) {
    const first = new Map<string, number>();
    for (const e of list) if (e.what === 'snapshot' && (first.get(e.copy) ?? Infinity) > e.at) first.set(e.copy, e.at);
    const copies = [...first.entries()].sort((a, b) => a[1] - b[1]);
    for (let i = 0; i + 1 < copies.length; i++) {
      const [copy] = copies[i];
      const successorFrom = copies[i + 1][1];
      const late = list.filter((e) => e.copy === copy && e.at > successorFrom + slackMs);
      if (late.length) {
        out.push({ kind: 'two_live_copies', at: late[0].at, bot: late[0].bot, lineage, detail: `${late.length} ${late[0].what} event(s) on ${copy} after its successor ${copies[i + 1][0]} served its first SNAPSHOT (first ${late[0].at - successorFrom} ms after)` });
      }
    }
  }
  return out;
}

export interface BotView {
  bot: number;
  /** When it lost its connection and is still without one, else null. */
  downSince: number | null;
  /** Until when a fault kept it (or any node) from coming back. */
  affectedUntil: number;
}

/** Players still without their seat `boundMs` after the last fault that could explain it ended. */
export function stranded(bots: readonly BotView[], now: number, boundMs: number): BotView[] {
  return bots.filter((b) => b.downSince !== null && now - Math.max(b.downSince, b.affectedUntil) > boundMs);
}

export interface StorageRow {
  collection: string;
  key: string;
  value: unknown;
}

/** After every match ended and a sweep: no checkpoint, no restore record, no seat index still holding a seat. */
export function checkStorage(rows: readonly StorageRow[], at: number): Violation[] {
  const out: Violation[] = [];
  const count = (c: string) => rows.filter((r) => r.collection === c).length;
  if (count('rejoin_checkpoint')) out.push({ kind: 'storage_left', at, detail: `${count('rejoin_checkpoint')} checkpoint(s) left after every match ended and a sweep` });
  if (count('rejoin_restore')) out.push({ kind: 'storage_left', at, detail: `${count('rejoin_restore')} restore record(s) left after the sweep` });
  const held = rows.filter((r) => r.collection === 'rejoin_seat' && !(typeof r.value === 'object' && r.value !== null && 'ended' in r.value));
  if (held.length) out.push({ kind: 'storage_left', at, detail: `${held.length} seat index entr(ies) still point at a seat after every match ended` });
  return out;
}

export interface LogScan {
  lines: number;
  panics: number;
  uncaught: number;
  tokenLines: number;
  /** Error-level lines by message, for the report. */
  errors: Record<string, number>;
  examples: string[];
}

const HEX64 = /(^|[^0-9a-f])[0-9a-f]{64}([^0-9a-f]|$)/i;

/** Reads one server log: panics, uncaught JavaScript errors, anything shaped like a reconnect token. */
export function scanLog(text: string): LogScan {
  const scan: LogScan = { lines: 0, panics: 0, uncaught: 0, tokenLines: 0, errors: {}, examples: [] };
  for (const line of text.split('\n')) {
    if (!line) continue;
    scan.lines++;
    const example = (l: string) => scan.examples.length < 10 && scan.examples.push(l.slice(0, 300));
    if (/^panic:|goroutine \d+ \[running\]|"level":"(panic|fatal)"/.test(line)) {
      scan.panics++;
      example(line);
    }
    if (/uncaught|TypeError|ReferenceError|RangeError|SyntaxError/.test(line)) {
      scan.uncaught++;
      example(line);
    }
    if (HEX64.test(line)) {
      scan.tokenLines++;
      example('(a line holding 64 hex digits; not shown)');
    }
    if (line.includes('"level":"error"')) {
      let msg = 'unparsed';
      try {
        msg = (JSON.parse(line) as { msg?: string }).msg ?? 'no msg';
      } catch {
        // a line that is not JSON counts under "unparsed"
      }
      scan.errors[msg] = (scan.errors[msg] ?? 0) + 1;
    }
  }
  return scan;
}

export function checkLogs(scans: readonly { node: string; scan: LogScan }[], at: number): Violation[] {
  const out: Violation[] = [];
  for (const { node, scan } of scans) {
    if (scan.panics) out.push({ kind: 'server_panic', at, detail: `${node}: ${scan.panics} panic line(s)` });
    if (scan.uncaught) out.push({ kind: 'uncaught_error', at, detail: `${node}: ${scan.uncaught} uncaught JavaScript error line(s)` });
    if (scan.tokenLines) out.push({ kind: 'token_in_log', at, detail: `${node}: ${scan.tokenLines} line(s) holding a 64-hex string` });
  }
  return out;
}

/** A node's resident memory at the end against its start: at most `factor` × start + `slackMiB`. */
export function checkMemory(nodes: readonly { node: string; startMiB: number; endMiB: number }[], factor: number, slackMiB: number, at: number): Violation[] {
  return nodes
    .filter((n) => n.endMiB > n.startMiB * factor + slackMiB)
    .map((n) => ({ kind: 'memory_grew', at, detail: `${n.node}: ${n.endMiB.toFixed(0)} MiB at the end, ${n.startMiB.toFixed(0)} MiB at the start (bound ${factor} × start + ${slackMiB} MiB)` }));
}

/** A node fault as the run saw it: the node, the fault, when it began and ended (ms). */
export interface NodeOutage {
  node: string;
  kind: string;
  from: number;
  to: number;
}

/**
 * Whether at some moment in [from, to] no node could serve a match: each was killed, restarting
 * or cut off from the database. A seat may then run out however well client and server behave,
 * so such a loss is counted apart, not as a violation.
 */
export function clusterOutageWithin(outages: readonly NodeOutage[], nodes: readonly string[], from: number, to: number): boolean {
  const near = outages.filter((o) => o.to >= from && o.from <= to);
  // If every node is out at some moment, every node is out when the last of those outages began.
  for (const o of near) {
    const t = Math.max(o.from, from);
    if (nodes.every((n) => near.some((x) => x.node === n && x.from <= t && x.to >= t))) return true;
  }
  return false;
}

// The soak's ledger and checks, over hand-made records: each check must catch the failure it
// exists for and stay quiet when the promise held.
import { describe, expect, it } from 'vitest';
import { checkEnd, checkLogs, checkMemory, checkOneCopy, checkStorage, scanLog, stranded } from '../../../bench/soak/checker';
import { expectedScore, newStint, recordAck, recordSent, recordSnapshot, scoreBounds, unseenLosses } from '../../../bench/soak/ledger';

const A = '11111111-1111-1111-1111-111111111111.n1';
const B = '22222222-2222-2222-2222-222222222222.n2';

function stintWith(adds: number[]) {
  const s = newStint(1, 0, 'u', A, 1, 'soak2', 0);
  adds.forEach((amount, i) => recordSent(s, i + 1, 'add', amount, i));
  return s;
}

describe('ledger', () => {
  it('a SNAPSHOT whose score holds every add up to lastActionSeq passes; one off fails', () => {
    const s = stintWith([3, 4, 5]);
    expect(recordSnapshot(s, { at: 10, copy: A, lastActionSeq: 2, score: 7, appRestart: false }).violations).toEqual([]);
    const bad = recordSnapshot(s, { at: 11, copy: A, lastActionSeq: 3, score: 17, appRestart: false }).violations;
    expect(bad.map((v) => v.kind)).toEqual(['score_mismatch']);
  });

  it('an action ACKed applied twice, or applied though never sent, is a violation; a duplicate ACK is not', () => {
    const s = stintWith([3]);
    expect(recordAck(s, 1, 'applied', A, 5, false)).toEqual([]);
    expect(recordAck(s, 1, 'duplicate', A, 6, true)).toEqual([]);
    expect(recordAck(s, 1, 'applied', A, 7, true).map((v) => v.kind)).toEqual(['applied_twice']);
    expect(recordAck(s, 9, 'applied', A, 8, false).map((v) => v.kind)).toEqual(['applied_unsent']);
    expect(recordAck(s, 9, 'duplicate', A, 8, false)).toEqual([]);
  });

  it('a valid add rejected is a violation', () => {
    const s = stintWith([3]);
    expect(recordAck(s, 1, 'rejected', A, 5, false).map((v) => v.kind)).toEqual(['valid_action_rejected']);
  });

  it('actions a killed copy acknowledged and its successor lacks are lost apart, and counted out of the score', () => {
    const s = stintWith([3, 4, 5]);
    for (const seq of [1, 2, 3]) recordAck(s, seq, 'applied', A, seq, false);
    const r = recordSnapshot(s, { at: 10, copy: B, lastActionSeq: 1, score: 3, appRestart: false });
    expect(r.violations).toEqual([]);
    expect(r.lost.map((a) => a.seq)).toEqual([2, 3]);
    recordSent(s, 4, 'add', 6, 11);
    recordAck(s, 4, 'applied', B, 12, false);
    expect(expectedScore(s, 4)).toBe(9);
    expect(recordSnapshot(s, { at: 13, copy: B, lastActionSeq: 4, score: 9, appRestart: false }).violations).toEqual([]);
  });

  it('the same copy forgetting an action it processed is a violation', () => {
    const s = stintWith([3, 4]);
    recordAck(s, 2, 'applied', A, 2, false);
    const r = recordSnapshot(s, { at: 10, copy: A, lastActionSeq: 1, score: 3, appRestart: false });
    expect(r.violations.map((v) => v.kind)).toEqual(['processed_then_forgotten']);
  });

  it('an app restart forgets what was never processed, so a reused actionSeq is a new action', () => {
    const s = stintWith([3, 4, 5]);
    recordAck(s, 1, 'applied', A, 1, false);
    expect(recordSnapshot(s, { at: 10, copy: A, lastActionSeq: 2, score: 7, appRestart: true }).violations).toEqual([]);
    expect(s.abandoned.map((a) => a.seq)).toEqual([3]);
    expect(recordSent(s, 3, 'add', 9, 11)).toEqual([]);
    expect(expectedScore(s, 3)).toBe(16);
  });

  it('an app restart after a crash lost acknowledged actions reuses their actionSeqs for new actions', () => {
    // Replays soak seed 2053255818: copy A applied 1-3 and was killed with only 1 checkpointed;
    // the app restarted on the successor B, which says lastActionSeq 1, so the new client
    // numbers its next action 2 again.
    const s = stintWith([3, 4, 5]);
    for (const seq of [1, 2, 3]) recordAck(s, seq, 'applied', A, seq, false);
    const r = recordSnapshot(s, { at: 10, copy: B, lastActionSeq: 1, score: 3, appRestart: true });
    expect(r.violations).toEqual([]);
    expect(r.lost.map((a) => a.seq)).toEqual([2, 3]);
    expect(s.forgotten.map((a) => a.seq)).toEqual([2, 3]);
    expect(recordSent(s, 2, 'add', 7, 11)).toEqual([]);
    expect(recordAck(s, 2, 'applied', B, 12, false)).toEqual([]);
    expect(recordSnapshot(s, { at: 13, copy: B, lastActionSeq: 2, score: 10, appRestart: false }).violations).toEqual([]);
    expect(scoreBounds(s)).toEqual({ min: 10, max: 10 });
  });

  it('without an app restart the client never hands out an actionSeq again, crash or not', () => {
    const s = stintWith([3, 4]);
    for (const seq of [1, 2]) recordAck(s, seq, 'applied', A, seq, false);
    recordSnapshot(s, { at: 10, copy: B, lastActionSeq: 1, score: 3, appRestart: false });
    expect(recordSent(s, 2, 'add', 7, 11).map((v) => v.kind)).toEqual(['action_seq_reused']);
  });

  it('told of the end by session_resume, a player never saw whether its crashed copy\'s actions went: a crash leaves them in doubt, or they count', () => {
    const s = stintWith([3, 4, 5]);
    for (const seq of [1, 2, 3]) recordAck(s, seq, 'applied', A, seq * 100, false);
    recordSnapshot(s, { at: 150, copy: A, lastActionSeq: 1, score: 3, appRestart: false });
    // Copy A's node crashed at 250: actions 2 and 3 (acknowledged at 200 and 300) may be gone with
    // it; the match ended on B, whose SNAPSHOT this player never saw.
    const crashNear = (copy: string, at: number) => copy === A && at >= 200;
    expect(unseenLosses(s, B, 1000, crashNear).map((a) => a.seq)).toEqual([2, 3]);
    // The result may hold them (A checkpointed them, or outlived the fault) or not.
    expect(scoreBounds(s)).toEqual({ min: 3, max: 12 });
    expect(checkEnd([s], { scores: [{ seat: 1, score: 12 }] }, 1000)).toEqual([]);
    expect(checkEnd([s], { scores: [{ seat: 1, score: 3 }] }, 1000)).toEqual([]);
    expect(checkEnd([s], { scores: [{ seat: 1, score: 13 }] }, 1000).map((v) => v.kind)).toEqual(['end_score_mismatch']);
    // Without a crash to explain them they stay counted, and a result without them is caught.
    const t = stintWith([3, 4]);
    for (const seq of [1, 2]) recordAck(t, seq, 'applied', A, seq * 100, false);
    expect(unseenLosses(t, B, 1000, () => false)).toEqual([]);
    expect(checkEnd([t], { scores: [{ seat: 1, score: 3 }] }, 1000).map((v) => v.kind)).toEqual(['end_score_mismatch']);
  });

  it('an action a later copy\'s SNAPSHOT showed carried over is never excused, crash or not', () => {
    const s = stintWith([3, 4]);
    for (const seq of [1, 2]) recordAck(s, seq, 'applied', A, seq * 100, false);
    recordSnapshot(s, { at: 500, copy: B, lastActionSeq: 2, score: 7, appRestart: false });
    expect(unseenLosses(s, '33333333-3333-3333-3333-333333333333.n3', 1000, () => true)).toEqual([]);
  });

  it('bounds a final score between what surely counts and what was in flight', () => {
    const s = stintWith([3, 4, 5]);
    recordAck(s, 1, 'applied', A, 1, false);
    expect(scoreBounds(s)).toEqual({ min: 3, max: 12 });
  });
});

describe('checks', () => {
  it('END: a seat scoring outside its bounds is caught, for every stint of the match', () => {
    const s1 = stintWith([2]);
    recordAck(s1, 1, 'applied', A, 1, false);
    const s2 = { ...stintWith([5]), seat: 0, bot: 1 };
    recordAck(s2, 1, 'applied', A, 1, false);
    expect(checkEnd([s1, s2], { scores: [{ seat: 0, score: 5 }, { seat: 1, score: 2 }] }, 9)).toEqual([]);
    expect(checkEnd([s1, s2], { scores: [{ seat: 0, score: 10 }, { seat: 1, score: 2 }] }, 9).map((v) => v.bot)).toEqual([1]);
    expect(checkEnd([s1], null, 9).map((v) => v.kind)).toEqual(['end_without_result']);
  });

  it('two live copies: an older copy acting after its successor served a SNAPSHOT, beyond the slack', () => {
    const ok = [
      { lineage: 'L', copy: A, at: 0, what: 'snapshot' as const, bot: 0 },
      { lineage: 'L', copy: A, at: 900, what: 'applied' as const, bot: 0 },
      { lineage: 'L', copy: B, at: 1000, what: 'snapshot' as const, bot: 1 },
      { lineage: 'L', copy: A, at: 1500, what: 'applied' as const, bot: 0 },
    ];
    expect(checkOneCopy(ok, 1000)).toEqual([]);
    const bad = [...ok, { lineage: 'L', copy: A, at: 5000, what: 'snapshot' as const, bot: 2 }];
    expect(checkOneCopy(bad, 1000).map((v) => v.kind)).toEqual(['two_live_copies']);
  });

  it('stranded: only players down past the bound after their last fault', () => {
    const bots = [
      { bot: 0, downSince: 0, affectedUntil: 0 },
      { bot: 1, downSince: 0, affectedUntil: 9000 },
      { bot: 2, downSince: null, affectedUntil: 0 },
    ];
    expect(stranded(bots, 12_000, 5000).map((b) => b.bot)).toEqual([0]);
  });

  it('storage: checkpoints, restore records and seat indexes still holding a seat are left-overs', () => {
    expect(checkStorage([{ collection: 'rejoin_seat', key: 'u', value: { ended: { reason: 'round_over' } } }], 0)).toEqual([]);
    const bad = checkStorage(
      [
        { collection: 'rejoin_checkpoint', key: A, value: {} },
        { collection: 'rejoin_restore', key: A, value: {} },
        { collection: 'rejoin_seat', key: 'u', value: { matchId: A, seat: 0 } },
      ],
      0,
    );
    expect(bad).toHaveLength(3);
  });

  it('logs: panics, uncaught errors and 64-hex strings are caught; error lines counted by message', () => {
    const token = 'ab'.repeat(32);
    const text = [
      '{"level":"info","msg":"fine"}',
      '{"level":"error","msg":"Error running multi update.","error":"version check failed"}',
      'panic: runtime error',
      '{"level":"error","msg":"JavaScript runtime function raised an uncaught exception"}',
      `{"level":"info","msg":"x","token":"${token}"}`,
    ].join('\n');
    const scan = scanLog(text);
    expect(scan).toMatchObject({ lines: 5, panics: 1, uncaught: 1, tokenLines: 1 });
    expect(scan.errors['Error running multi update.']).toBe(1);
    expect(scan.examples.join('\n')).not.toContain(token);
    expect(checkLogs([{ node: 'n1', scan }], 0).map((v) => v.kind)).toEqual(['server_panic', 'uncaught_error', 'token_in_log']);
    expect(checkLogs([{ node: 'n1', scan: scanLog('{"level":"info","msg":"ok"}') }], 0)).toEqual([]);
  });

  it('memory: a node that grew past the bound is caught', () => {
    expect(checkMemory([{ node: 'n1', startMiB: 100, endMiB: 240 }], 1.5, 100, 0)).toEqual([]);
    expect(checkMemory([{ node: 'n1', startMiB: 100, endMiB: 260 }], 1.5, 100, 0)).toHaveLength(1);
  });
});

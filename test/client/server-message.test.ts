// How the client reads the match's bytes: each message of the protocol typed by its op code, and
// anything else (not JSON, not an object, an unknown op, a SNAPSHOT missing a field) dropped.
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../client/server-message';

const bytes = (x: unknown) => new TextEncoder().encode(typeof x === 'string' ? x : JSON.stringify(x));
const snapshot = { seq: 3, tick: 9, you: { seat: 1, userId: 'u' }, lastActionSeq: 2, resumed: false, seats: [], game: {} };

describe('decodeMessage', () => {
  it('types each message of the match by its op code', () => {
    expect(decodeMessage(1, bytes(snapshot))).toEqual({ op: 1, body: snapshot });
    expect(decodeMessage(2, bytes({ seq: 4, seat: 0, status: 'reserved' }))).toEqual({ op: 2, body: { seq: 4, seat: 0, status: 'reserved' } });
    expect(decodeMessage(3, bytes({ seq: 5, type: 'scored' }))).toMatchObject({ op: 3 });
    expect(decodeMessage(4, bytes({ actionSeq: 7, result: 'applied' }))).toMatchObject({ op: 4, body: { actionSeq: 7 } });
    expect(decodeMessage(5, bytes({ seq: 6, reason: 'moved', result: null }))).toMatchObject({ op: 5, body: { reason: 'moved' } });
    expect(decodeMessage(6, bytes({ code: 'not_seated', message: 'x' }))).toMatchObject({ op: 6, body: { code: 'not_seated' } });
  });

  it('drops what is not a message of the protocol', () => {
    expect(decodeMessage(3, bytes('{not json'))).toBeNull();
    expect(decodeMessage(3, bytes('42'))).toBeNull();
    expect(decodeMessage(3, bytes('null'))).toBeNull();
    expect(decodeMessage(100, bytes({ actionSeq: 1 }))).toBeNull();
    expect(decodeMessage(1, bytes({ ...snapshot, you: {} }))).toBeNull();
    expect(decodeMessage(1, bytes({ ...snapshot, lastActionSeq: '2' }))).toBeNull();
  });

  it('reads and writes UTF-8', () => {
    expect(decodeMessage(3, encodeMessage({ seq: 1, text: 'héllo ✓' }))).toMatchObject({ body: { text: 'héllo ✓' } });
  });
});

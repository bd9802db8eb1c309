// Match signals between the module's RPCs and its matches: both ends go through protocol.ts.
import { describe, expect, it } from 'vitest';
import { decodeReissueAnswer, decodeSignal, encodeSignal, encodeSignalAnswer } from '../../src/protocol';

describe('match signals', () => {
  it('round-trip', () => {
    expect(decodeSignal(encodeSignal({ op: 'reissue', userId: 'u1' }))).toEqual({ op: 'reissue', userId: 'u1' });
    expect(decodeSignal(encodeSignal({ op: 'supersede' }))).toEqual({ op: 'supersede' });
    const active = { ok: true, seat: 1, status: 'reserved', mode: 'duel', token: null } as const;
    expect(decodeReissueAnswer(encodeSignalAnswer(active))).toEqual(active);
    expect(decodeReissueAnswer(encodeSignalAnswer({ ok: false, reason: 'moved' }))).toEqual({ ok: false, reason: 'moved' });
  });

  it('anything else decodes to null, never to a half-read value', () => {
    for (const bad of ['', 'x', 'null', '[]', '{"op":"reissue"}', '{"op":"reissue","userId":7}', '{"op":"other"}']) expect(decodeSignal(bad)).toBeNull();
    for (const bad of ['', 'null', '{"ok":true}', '{"ok":true,"seat":1,"status":"gone","mode":"m","token":null}', '{"ok":true,"seat":1.5,"status":"free","mode":"m","token":null}', '{"ok":false,"reason":"error"}', '{"ok":false,"reason":"unknown_signal"}']) {
      expect(decodeReissueAnswer(bad)).toBeNull();
    }
    // Extra fields are not carried along.
    expect(decodeReissueAnswer('{"ok":true,"seat":0,"status":"connected","mode":"m","token":"t","x":1}')).toEqual({ ok: true, seat: 0, status: 'connected', mode: 'm', token: 't' });
  });
});

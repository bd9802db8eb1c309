import { describe, expect, it } from 'vitest';
import { LocalStorageTokenStore, MemoryTokenStore } from '../../client/token-store';

/** A Storage-like object backed by a Map, with key()/length as in browsers. */
function storage() {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    key: (i: number) => [...data.keys()][i] ?? null,
    get length() {
      return data.size;
    },
  };
}

describe('token stores', () => {
  it('memory: one ticket per match, copies in and out', () => {
    const m = new MemoryTokenStore();
    const t = { matchId: 'a', token: 't1', nextActionSeq: 3 };
    m.set(t);
    t.token = 'mutated';
    m.set({ matchId: 'b', token: 'tb', nextActionSeq: 1 });
    expect(m.get('a')).toEqual({ matchId: 'a', token: 't1', nextActionSeq: 3 });
    m.set({ matchId: 'a', token: 't2', nextActionSeq: 4 });
    expect(m.get('a')?.token).toBe('t2');
    m.clear('a');
    expect(m.get('a')).toBeNull();
    expect(m.get('b')?.token).toBe('tb');
  });

  it('localStorage: persists per match across instances, ignores corrupt entries', () => {
    const s = storage();
    new LocalStorageTokenStore({ storage: s }).set({ matchId: 'm', token: 't', nextActionSeq: 2 });
    expect(new LocalStorageTokenStore({ storage: s }).get('m')).toEqual({ matchId: 'm', token: 't', nextActionSeq: 2 });
    expect(new LocalStorageTokenStore({ storage: s }).get('other')).toBeNull();
    s.data.set('nakama-rejoin.m', '{broken');
    expect(new LocalStorageTokenStore({ storage: s }).get('m')).toBeNull();
    s.data.set('nakama-rejoin.m', JSON.stringify({ matchId: 'm', token: 5, nextActionSeq: 0 }));
    expect(new LocalStorageTokenStore({ storage: s }).get('m')).toBeNull();
  });

  it('localStorage: prunes tickets of old matches, keeps recent ones and other keys', () => {
    const s = storage();
    let now = 0;
    const store = new LocalStorageTokenStore({ storage: s, maxAgeMs: 1000, now: () => now });
    store.set({ matchId: 'old', token: 'x', nextActionSeq: 1 });
    s.data.set('unrelated', 'keep');
    now = 900;
    store.set({ matchId: 'recent', token: 'y', nextActionSeq: 1 });
    now = 1500;
    store.set({ matchId: 'new', token: 'z', nextActionSeq: 1 });
    expect(store.get('old')).toBeNull();
    expect(store.get('recent')?.token).toBe('y');
    expect(s.data.get('unrelated')).toBe('keep');
  });

  it('localStorage: says plainly when there is none', () => {
    expect(() => new LocalStorageTokenStore()).toThrow(/no localStorage/);
  });
});

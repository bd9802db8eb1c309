// The fake runtime must make a naively written handler fail the way the real server does;
// otherwise the adapter tests that run on it prove nothing.
import { describe, expect, it } from 'vitest';
import { labelMatches } from '../fakes/fake-nakama';
import { exportToGo, goBacked, keep } from '../fakes/go-state';

describe('fake runtime fidelity', () => {
  it('loses changes made to an object after it was assigned into state', () => {
    const state = goBacked<any>(keep({ players: {} }));
    const p = { hp: 1 };
    state.players.u1 = p;
    p.hp = 5;
    expect(keep(state)).toEqual({ players: { u1: { hp: 1 } } });
  });

  it('keeps changes made through the state path', () => {
    const state = goBacked<any>(keep({ players: { u1: { hp: 1 } } }));
    state.players.u1.hp = 5;
    expect(keep(state)).toEqual({ players: { u1: { hp: 5 } } });
  });

  it('drops prototypes and turns Map, Set and undefined into plain data', () => {
    class Seat {
      constructor(public n: number) {}
      twice(): number {
        return this.n * 2;
      }
    }
    const out = keep({ seat: new Seat(2), m: new Map([['a', 1]]), s: new Set([3]), u: undefined }) as any;
    expect(out).toEqual({ seat: { n: 2 }, m: [1], s: [3], u: null });
    expect(out.seat.twice).toBeUndefined();
  });

  it('shuffles nested key order across exports', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 50; i++) orders.add(Object.keys(exportToGo({ a: 1, b: 2, c: 3, d: 4 }) as object).join(''));
    expect(orders.size).toBeGreaterThan(1);
  });

  it('indexes label booleans as T and F and leaves null out, as the match index does', () => {
    const label = JSON.stringify({ fresh: true, promised: false, creator: null, mode: 'e2e' });
    expect(labelMatches(label, '+label.fresh:T +label.promised:F +label.mode:e2e')).toBe(true);
    expect(labelMatches(label, '+label.fresh:true')).toBe(false);
    expect(labelMatches(label, '+label.creator:null')).toBe(false);
  });

  it('boxes presence reasons so that === and switch never match', () => {
    const reason: unknown = new Number(4);
    expect(typeof reason).toBe('object');
    expect(reason === 4).toBe(false);
    expect(Number(reason)).toBe(4);
  });
});

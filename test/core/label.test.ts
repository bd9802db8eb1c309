// The match label is written out by hand for speed: it must stay exactly the JSON of its fields.
import { describe, expect, it } from 'vitest';
import { labelOf } from '../../src/core/arena/state';
import { testMode, World } from './world';

describe('match label', () => {
  it('is valid JSON with the documented fields, in every state a match goes through', () => {
    const w = new World(testMode({ seats: 3 }));
    const states: string[] = [labelOf(w.state)];
    w.state.creator = '7c1d2c8e-0b7a-4f7e-9d1e-3f3c8f0d2a11';
    states.push(labelOf(w.state));
    w.enter('alice');
    states.push(labelOf(w.state));
    w.state.invited = ['alice', 'bob'];
    states.push(labelOf(w.state));
    w.state.ended = { reason: 'round_over', result: null, tick: 3 };
    states.push(labelOf(w.state));
    const parsed = states.map((l) => JSON.parse(l));
    expect(parsed).toEqual([
      { mode: 't', open: 3, size: 3, promised: false, creator: null, fresh: true },
      { mode: 't', open: 3, size: 3, promised: false, creator: '7c1d2c8e-0b7a-4f7e-9d1e-3f3c8f0d2a11', fresh: true },
      { mode: 't', open: 2, size: 3, promised: false, creator: '7c1d2c8e-0b7a-4f7e-9d1e-3f3c8f0d2a11', fresh: false },
      { mode: 't', open: 0, size: 3, promised: true, creator: '7c1d2c8e-0b7a-4f7e-9d1e-3f3c8f0d2a11', fresh: false },
      { mode: 't', open: 0, size: 3, promised: true, creator: '7c1d2c8e-0b7a-4f7e-9d1e-3f3c8f0d2a11', fresh: false },
    ]);
    for (let i = 0; i < states.length; i++) expect(states[i]).toBe(JSON.stringify(parsed[i]));
  });
});

// The hand-written JSON of ACK and EVENT is exactly what JSON.stringify writes for the message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ackJson, stampedJson } from '../../src/core/arena/wire';
import { AckResult } from '../../src/protocol';

const anyBody = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
// Keys that are not array indexes keep their written order in a JS object, so the text is exact.
const namedBody = fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z]{0,7}$/), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });

describe('wire text of the per-action messages', () => {
  it('EVENT: the text of { seq, tick, ...body }, byte for byte; the same object for any body', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), namedBody, (seq, tick, b) => {
        expect(stampedJson(seq, tick, b)).toBe(JSON.stringify({ seq, tick, ...b }));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.nat(), fc.nat(), anyBody, (seq, tick, b) => {
        expect(JSON.parse(stampedJson(seq, tick, b))).toEqual(JSON.parse(JSON.stringify({ seq, tick, ...b })));
      }),
      { numRuns: 500 },
    );
    expect(stampedJson(3, 9, {})).toBe('{"seq":3,"tick":9}');
    // The counterexample fast-check once found: a body's own seq was written after the stamp.
    const own: Record<string, unknown> = { seq: {} };
    expect(stampedJson(0, 0, own)).toBe(JSON.stringify({ seq: 0, tick: 0, ...own }));
  });

  it('a body field named seq or tick wins, as in the spread; a body with its own toJSON is stamped as it encodes', () => {
    expect(JSON.parse(stampedJson(3, 9, { type: 'x', seq: 'mine', tick: 1 }))).toEqual({ seq: 'mine', tick: 1, type: 'x' });
    const odd = { type: 'y', toJSON: () => ({ type: 'z' }) };
    // Stamped onto what the body encodes to, so seq and tick are never lost to a toJSON.
    expect(JSON.parse(stampedJson(3, 9, odd))).toEqual({ seq: 3, tick: 9, type: 'z' });
  });

  it('ACK: the text of { actionSeq, result, error }', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 53 - 1 }), fc.constantFrom(...Object.values(AckResult)), fc.option(fc.string(), { nil: undefined }), (actionSeq, result, error) => {
        const msg = error === undefined ? { actionSeq, result } : { actionSeq, result, error };
        expect(ackJson(actionSeq, result, error)).toBe(JSON.stringify(msg));
      }),
      { numRuns: 500 },
    );
  });
});

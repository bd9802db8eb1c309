// The JSON text of the two messages every action sends (ACK to its sender, EVENT to everyone),
// written by hand: the same text JSON.stringify gives for the message object, without building
// that object and walking it for every action. The server's JavaScript engine pays for every
// object and every property walk; an action is the path that runs most.

import type { AckMessage } from '../../protocol.js';

// Sequence numbers, ticks and actionSeq are whole numbers, whose JSON text is their String().

/** ACK, as JSON.stringify({ actionSeq, result, error }) writes it. */
export function ackJson(actionSeq: number, result: AckMessage['result'], error?: string): string {
  const head = '{"actionSeq":' + String(actionSeq) + ',"result":"' + result + '"';
  return error === undefined ? head + '}' : head + ',"error":' + JSON.stringify(error) + '}';
}

/**
 * A broadcast body stamped with the match's sequence number and tick: the JSON of
 * `{ seq, tick, ...body }` (a body field named seq or tick comes later and wins, as in the spread),
 * stamped onto what the body encodes to.
 */
export function stampedJson(seq: number, tick: number, body: object): string {
  // A body with its own seq or tick would write that key twice: merged the long way, once.
  if (Object.prototype.hasOwnProperty.call(body, 'seq') || Object.prototype.hasOwnProperty.call(body, 'tick')) return JSON.stringify({ seq, tick, ...body });
  const text = JSON.stringify(body);
  // A body that does not encode as a plain object (a toJSON of its own) is merged the long way.
  if (typeof text !== 'string' || text.charCodeAt(0) !== 123 /* { */) return JSON.stringify({ seq, tick, ...body });
  const head = '{"seq":' + String(seq) + ',"tick":' + String(tick);
  return text.length === 2 ? head + '}' : head + ',' + text.slice(1);
}

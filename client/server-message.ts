// The match's messages as the client reads them: bytes of UTF-8 JSON in, one typed message out
// (or nothing, for what is not a message of the protocol), and actions and requests out as bytes.
import { OpCode, type AckMessage, type EndMessage, type ErrorMessage, type EventMessage, type SeatMessage, type SnapshotMessage } from '../src/protocol.js';

export type ServerMessage =
  | { op: typeof OpCode.SNAPSHOT; body: SnapshotMessage }
  | { op: typeof OpCode.SEAT; body: SeatMessage }
  | { op: typeof OpCode.EVENT; body: EventMessage }
  | { op: typeof OpCode.ACK; body: AckMessage }
  | { op: typeof OpCode.END; body: EndMessage }
  | { op: typeof OpCode.ERROR; body: ErrorMessage };

const enc = new TextEncoder();
const dec = new TextDecoder();

function isSnapshot(x: unknown): x is SnapshotMessage {
  const s = x as SnapshotMessage;
  return typeof s === 'object' && s !== null && typeof s.seq === 'number' && typeof s.lastActionSeq === 'number' && typeof s.you?.seat === 'number';
}

/** A message of the match, or null: not JSON, not an object, an unknown op, a SNAPSHOT without its required fields. */
export function decodeMessage(op: number, data: Uint8Array): ServerMessage | null {
  let body: unknown;
  try {
    body = JSON.parse(dec.decode(data));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  switch (Number(op)) {
    case OpCode.SNAPSHOT:
      return isSnapshot(body) ? { op: OpCode.SNAPSHOT, body } : null;
    case OpCode.SEAT:
      return { op: OpCode.SEAT, body: body as SeatMessage };
    case OpCode.EVENT:
      return { op: OpCode.EVENT, body: body as EventMessage };
    case OpCode.ACK:
      return { op: OpCode.ACK, body: body as AckMessage };
    case OpCode.END:
      return { op: OpCode.END, body: body as EndMessage };
    case OpCode.ERROR:
      return { op: OpCode.ERROR, body: body as ErrorMessage };
    default:
      return null;
  }
}

/** A message to the match: UTF-8 JSON bytes (nakama-js would base64 a string as Latin-1). */
export function encodeMessage(body: unknown): Uint8Array {
  return enc.encode(JSON.stringify(body));
}

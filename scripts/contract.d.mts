// Types for contract.mjs (plain JavaScript so that build-lib.mjs can use it without a TypeScript step).
export interface Field {
  name: string;
  /** The field's type as src/protocol.ts writes it (`number | null`, `SeatStatus`, `SeatView[]`); `object` for a nested object, whose `fields` follow. */
  type: string;
  optional: boolean;
  fields?: Field[];
  open?: boolean;
}
/** An object type: its fields (`open`: it may carry fields of its own beyond these), or a union's variants. */
export interface Shape {
  fields?: Field[];
  open?: boolean;
  variants?: Shape[];
}
export interface Contract {
  protocolVersion: number;
  matchModule: string;
  maxActionSeq: number;
  /** Every constant group of the protocol module: group → key → value. */
  constants: Record<string, Record<string, string | number>>;
  /** Op code name → its number and payload. */
  messages: Record<string, { op: number; type: string } & Shape>;
  joinMetadata: { type: string } & Shape;
  /** RPC id → its constant's key, payload and answer. */
  rpcs: Record<string, { name: string; payload: { type: string } & Shape; answer: { type: string } & Shape }>;
  /** Named types the messages and RPCs refer to (`SeatView`). */
  types: Record<string, Shape>;
}
export function contractOf(source: string, module: Record<string, unknown>): Contract;

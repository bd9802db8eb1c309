// Tests that start Nakama nodes of their own (several nodes on one database) need the binary
// run.mjs found; against a running server (NAKAMA_URL) they are skipped, and say so.
import { describe } from 'vitest';

/** The nakama binary and `describe`, or `describe.skip` with a line saying why `what` did not run. */
export function withNodeBinary(what: string): { bin: string; suite: typeof describe | typeof describe.skip } {
  const bin = process.env.NAKAMA_BIN_FOUND;
  if (!bin) console.log(`\n${what} SKIPPED: they start nodes of their own and need a nakama binary (NAKAMA_BIN or PATH), not NAKAMA_URL.\n`);
  return { bin: bin ?? '', suite: bin ? describe : describe.skip };
}

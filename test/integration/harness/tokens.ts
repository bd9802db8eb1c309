// Every reconnect token a test sees is remembered, and each file checks at its end that none of
// them ever reached the server's log.
import { afterAll, expect } from 'vitest';
import { serverLog } from './client';

const seen = new Set<string>();

export function remember(token: unknown): void {
  if (typeof token === 'string' && token.length > 0) seen.add(token);
}

/** Registers the end-of-file check; call once at the top of a test file. */
export function checkTokensNeverLogged(): void {
  afterAll(() => {
    const log = serverLog();
    if (log === null) return; // external server: its log is not ours to read
    const leaked = [...seen].filter((t) => log.includes(t));
    expect(leaked, 'tokens found in the server log').toEqual([]);
  });
}

export function tokensSeen(): number {
  return seen.size;
}

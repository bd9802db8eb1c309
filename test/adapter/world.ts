// A fake server loaded with the built module and the repository's own mode table.
import { readFileSync } from 'node:fs';
import { FakeServer, type FakeClient, type FakeMatch } from '../fakes/fake-nakama';

/** runtime.env of the suite's server (local.yml, then test/nakama-test.yml, whose list wins). */
export function localEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of readFileSync('test/nakama-test.yml', 'utf8').matchAll(/^\s+- '([A-Z_]+)=(.*)'\s*$/gm)) env[m[1]] = m[2];
  return env;
}

export function server(extra: Record<string, string> = {}): FakeServer {
  return new FakeServer({ ...localEnv(), ...extra });
}

export function newMatch(s: FakeServer, mode = 'e2e'): FakeMatch {
  const { matchId } = s.rpc('match_create', 'creator', { mode });
  return s.matches.get(matchId)!;
}

/** Joins and returns the client with its first SNAPSHOT. */
export function seat(m: FakeMatch, userId: string, token?: string): { c: FakeClient; snap: any } {
  const c = m.connect(userId);
  const r = c.join(token === undefined ? {} : { token });
  if (!r.accepted) throw new Error(`join refused: ${r.rejectMessage}`);
  return { c, snap: c.last(1) };
}

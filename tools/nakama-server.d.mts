// Types for server.mjs (plain JavaScript so that run.mjs and the benchmarks can use it too).
export type Found = { kind: 'external'; url: string } | { kind: 'binary'; bin: string; from: string } | { kind: 'none'; reason: string };
export interface StartedServer {
  url: string;
  logFile: string;
  name: string;
  database: string;
  databaseUrl: string;
  readonly pid: number | null;
  restart(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  kill(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  stop(): Promise<void>;
  tail(lines?: number): string;
}
export function discover(): Found;
export function startServer(
  bin: string,
  opts?: { extraArgs?: string[]; logPrefix?: string; moduleFile?: string; database?: string | null; databaseHostPort?: string | null },
): Promise<StartedServer>;

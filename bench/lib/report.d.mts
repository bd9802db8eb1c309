// Types for report.mjs (plain JavaScript so that the .mjs benchmarks can use it directly).
export interface Summary {
  n: number;
  mean: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
export interface Machine {
  cpu: string;
  memGiB: number;
  node: string;
  nakama: string | null;
  postgres: string | null;
}
export function cpuSeconds(pid: number): number;
/** A Go CPU profile of the server (its log names the console port) over `seconds`, written to `file`. */
export function goProfile(logFile: string, seconds: number, file: string): Promise<void>;
export function dbNumber(databaseUrl: string, query: string): number;
export function walBytes(databaseUrl: string): number;
export function storageUpserts(databaseUrl: string): number;
export function pct(sorted: number[], p: number): number;
export function summary(samples: number[]): Summary;
export function machine(bin?: string | null): Machine;
export function benchServer(opts?: { env?: Record<string, string>; args?: string[]; external?: boolean; logPrefix?: string; moduleFile?: string }): Promise<{ url: string; bin: string | null; server: import('../../tools/nakama-server.mjs').StartedServer | null; stop(): Promise<void> }>;
export function writeResults(name: string, data: unknown, chart?: object | null): Promise<string[]>;
export function table<T>(rows: T[], cols: [string, (r: T) => string | number][]): string;

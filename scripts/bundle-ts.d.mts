// Types for bundle-ts.mjs (plain JavaScript so that run-ts.mjs can use it before anything is built).
export function bundleTs(entry: string): Promise<string>;

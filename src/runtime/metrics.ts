// Metric names as Prometheus sees them. Nakama publishes the module's metrics as
// nakama_custom_<name>, with a node_name label; counters end in _total and timers (summaries, in
// seconds) in _seconds, as Prometheus names them. Each name is always used with the same label
// names: the server's reporter refuses a name seen before with other labels.

/** Adds to the counter nakama_custom_<name>_total. */
export function countTotal(nk: nkruntime.Nakama, name: string, tags: Record<string, string>, delta = 1): void {
  nk.metricsCounterAdd(`${name}_total`, tags, delta);
}

/** Records a duration in the summary nakama_custom_<name>_seconds. */
export function timeSeconds(nk: nkruntime.Nakama, name: string, tags: Record<string, string>, seconds: number): void {
  // The server takes nanoseconds.
  nk.metricsTimerRecord(`${name}_seconds`, tags, Math.max(0, Math.round(seconds * 1e9)));
}

// How Nakama's JavaScript runtime hands match state across callbacks, reproduced for tests.
//
// After every callback the server exports the state to Go values and rebuilds it before the next
// one: class instances lose their prototype, Maps and Sets become arrays, undefined becomes null,
// and nested key order is not kept. During a callback the state is backed by Go maps: assigning
// an object into it copies the object at that moment, so later changes to the original are lost,
// while changes made through the state's own path persist.

/** Converts a JS value the way the server's export to Go does. */
export function exportToGo(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'function') return null;
  if (typeof value !== 'object') return value;
  if (value instanceof Number || value instanceof String || value instanceof Boolean) return value.valueOf();
  if (value instanceof Map) return [...value.values()].map(exportToGo);
  if (value instanceof Set) return [...value].map(exportToGo);
  if (Array.isArray(value)) return value.map(exportToGo);
  const out: Record<string, unknown> = {};
  for (const key of shuffled(Object.keys(value as object))) out[key] = exportToGo((value as Record<string, unknown>)[key]);
  return out;
}

function shuffled<T>(items: T[]): T[] {
  const a = items.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Wraps exported state as the Go-backed object a callback receives. Reads of nested objects
 * return live views into the same storage; every assignment stores an exported copy.
 */
export function goBacked<T>(root: T): T {
  const wrap = (target: any): any => {
    if (target === null || typeof target !== 'object') return target;
    return new Proxy(target, {
      get(t, key, receiver) {
        const v = Reflect.get(t, key, receiver);
        return v !== null && typeof v === 'object' ? wrap(v) : v;
      },
      set(t, key, value) {
        (t as any)[key] = exportToGo(value);
        return true;
      },
    });
  };
  return wrap(root);
}

/** Unwraps a callback's returned state into what the server keeps: an exported copy. */
export function keep(state: unknown): unknown {
  return exportToGo(JSON.parse(JSON.stringify(state, (_k, v) => (v === undefined ? null : v instanceof Map || v instanceof Set ? [...v.values()] : v))));
}

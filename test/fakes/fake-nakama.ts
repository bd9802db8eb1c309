// An in-memory Nakama for fast adapter tests. It loads the built bundle the way the server does
// and mimics the behaviour NAKAMA-RUNTIME.md describes: a fresh, frozen VM for every match and
// every RPC (InitModule runs once, in its own VM), state exported and rebuilt between match
// callbacks, boxed presence reasons, storage versions and all-or-nothing multiUpdate.
import { createHash, randomUUID } from 'node:crypto';
import { scanRegistrations } from './loader-scan';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { goBacked, keep } from './go-state';

const NODE = 'fakenode';

/** What a match signal answers, as the server's registry words it. */
const SIGNAL_NOT_FOUND = 'failed to signal match: match not found';
const SIGNAL_BUSY = 'failed to signal match: match busy';

export interface LogLine {
  level: string;
  text: string;
  fields?: Record<string, unknown>;
}

export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Runs an RPC call that must fail and returns its {code, message}. */
export function failure(f: () => unknown): RpcFailure {
  try {
    f();
  } catch (e) {
    if (e instanceof RpcFailure) return e;
    throw e;
  }
  throw new Error('expected the RPC to fail');
}

let bundleText: string | null = null;
/** Builds the module once per test process and returns the bundle's text. */
export function bundle(): string {
  if (bundleText === null) {
    execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'pipe' });
    bundleText = readFileSync('build/index.js', 'utf8');
  }
  return bundleText;
}

function deepFreeze(o: any, seen = new Set<any>()): void {
  if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
  seen.add(o);
  Object.freeze(o);
  for (const k of Object.getOwnPropertyNames(o)) {
    try {
      deepFreeze(o[k], seen);
    } catch {
      // accessor that throws: leave it
    }
  }
}

/**
 * A new VM with the bundle loaded: no console, timers, process or crypto, as in the server.
 * `shiftMs` moves its wall clock, so tests can let time pass, or give nodes clocks that disagree.
 */
function newVm(code: string, freeze: boolean, shiftMs: () => number = () => 0): Record<string, any> {
  const context = vm.createContext({});
  const realNow = Date.now;
  (vm.runInContext('Date', context) as DateConstructor).now = () => realNow() + shiftMs();
  vm.runInContext(code, context, { filename: 'index.js' });
  if (freeze) deepFreeze(context);
  return context as Record<string, any>;
}

interface StoredObject {
  value: any;
  version: string;
  permissionRead: number;
  permissionWrite: number;
  createTime: number;
  updateTime: number;
}

type Callback = (...args: any[]) => any;
interface Handler {
  matchInit: Callback;
  matchJoinAttempt: Callback;
  matchJoin: Callback;
  matchLeave: Callback;
  matchLoop: Callback;
  matchTerminate: Callback;
  matchSignal: Callback;
}

export interface FakeServerOptions {
  /** The node's name (the suffix of its match ids). */
  node?: string;
  /** Another node whose database (storage and wallets) this one shares. */
  shareDatabaseWith?: FakeServer;
}

export class FakeServer {
  readonly env: Record<string, string>;
  readonly node: string;
  readonly logs: LogLine[] = [];
  readonly metrics: { name: string; tags: Record<string, string>; value: number }[] = [];
  readonly storage: Map<string, StoredObject>;
  readonly wallets: Map<string, Record<string, number>>;
  readonly matches = new Map<string, FakeMatch>();
  /** Matches whose signal queue is full: a signal to them answers "match busy". */
  readonly busy = new Set<string>();
  /** nk.localcache: per node. */
  readonly cache = new Map<string, { value: unknown; until: number | null }>();
  /** How far this node's wall clock is ahead of real time, ms. */
  clockShiftMs = 0;
  /** While true, every storage call fails as with a database this node cannot reach. */
  databaseDown = false;
  private readonly rpcNames = new Map<string, string>();
  private matchHandlerNames: Record<string, Record<string, string>> = {};
  hooks: Record<string, string> = {};
  private versionCounter = 0;
  /** Called inside multiUpdate before it commits; tests use it to interleave a rival write. */
  beforeCommit: (() => void) | null = null;
  /** Called with the keys of every storage read, before it runs (to fail or race one read). */
  beforeRead: ((keys: { collection: string; key: string; userId?: string }[]) => void) | null = null;

  constructor(env: Record<string, string>, options: FakeServerOptions = {}) {
    this.env = env;
    this.node = options.node ?? NODE;
    this.storage = options.shareDatabaseWith?.storage ?? new Map();
    this.wallets = options.shareDatabaseWith?.wallets ?? new Map();
    const code = bundle();
    const init = newVm(code, false, () => this.clockShiftMs);
    // As the server: handlers are known by the names the register statements give them, and
    // each must be a global of the VM that ran InitModule.
    const found = scanRegistrations(code);
    const global = (name: string): void => {
      if (typeof init[name] !== 'function') throw new Error(`function ${JSON.stringify(name)} not registered in the global object scope`);
    };
    for (const [id, name] of found.rpcs) {
      global(name);
      this.rpcNames.set(id, name);
    }
    for (const [module, fns] of found.matches) {
      for (const name of fns.values()) global(name);
      this.matchHandlerNames[module] = Object.fromEntries(fns);
    }
    for (const [method, name] of found.hooks) {
      global(name);
      const hook = method.slice('register'.length);
      this.hooks[hook.charAt(0).toLowerCase() + hook.slice(1)] = name;
    }
    const accept = (fn: unknown): void => {
      if (typeof fn !== 'function') throw new TypeError('expects a function');
    };
    const initializer = {
      registerRpc: (_id: string, fn: Callback) => accept(fn),
      registerMatch: (_name: string, handler: Record<string, Callback>) => Object.values(handler).forEach(accept),
      registerMatchmakerMatched: accept,
      registerAfterAuthenticateCustom: accept,
      registerAfterAuthenticateDevice: accept,
      registerAfterAuthenticateEmail: accept,
      registerBeforeWriteStorageObjects: accept,
      registerBeforeDeleteStorageObjects: accept,
    };
    init.InitModule(this.ctx({}), this.logger(), this.nk(), initializer);
  }

  ctx(extra: Record<string, unknown>): any {
    return { env: { ...this.env }, executionMode: 'rpc', node: this.node, version: '3.26.0', ...extra };
  }

  /** As the server's: format verbs, and withFields adding fields (kept here as `key=value` after the text). */
  logger(fields: Record<string, unknown> = {}): any {
    const line = (level: string) => (format: string, ...args: any[]) => {
      let i = 0;
      const text = format.replace(/%[sdv]/g, () => String(args[i++]));
      const extra = Object.entries(fields).map(([k, v]) => ` ${k}=${String(v)}`).join('');
      this.logs.push({ level, text: `${text}${extra}`, fields: { ...fields } });
      return text;
    };
    return { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), withFields: (more: Record<string, unknown>) => this.logger({ ...fields, ...more }) };
  }

  private key(collection: string, key: string, userId: string): string {
    return `${collection}\u0000${key}\u0000${userId}`;
  }

  private nextVersion(): string {
    // Unique across nodes sharing the database.
    return `v${++this.versionCounter}-${randomUUID().slice(0, 8)}`;
  }

  /** A VM with the module loaded, on this node's clock. */
  vm(freeze: boolean): Record<string, any> {
    return newVm(bundle(), freeze, () => this.clockShiftMs);
  }

  /** Storage writes as the server applies them, all or nothing; returns the acks. */
  private applyWrites(writes: any[], deletes: any[], wallets: any[]): { acks: any[]; walletAcks: any[] } {
    if (this.databaseDown) throw new Error('failed to connect to the database: connection refused');
    for (const o of [...(writes ?? []), ...(deletes ?? [])]) if (o.version !== undefined && (typeof o.version !== 'string' || o.version === '')) throw new Error("expects 'version' value to be a non-empty string");
    const storage = new Map(this.storage);
    const walletCopy = new Map([...this.wallets].map(([k, v]) => [k, { ...v }]));
    const acks: any[] = [];
    for (const w of writes ?? []) {
      const k = this.key(w.collection, w.key, w.userId ?? '');
      const existing = storage.get(k);
      if (w.version === '*' && existing) throw new Error('Storage write rejected - version check failed.');
      if (w.version !== undefined && w.version !== '*' && existing?.version !== w.version) throw new Error('Storage write rejected - version check failed.');
      const now = Date.now();
      const stored: StoredObject = {
        value: JSON.parse(JSON.stringify(w.value)),
        version: this.nextVersion(),
        permissionRead: w.permissionRead ?? 1,
        permissionWrite: w.permissionWrite ?? 1,
        createTime: existing?.createTime ?? now,
        updateTime: now,
      };
      storage.set(k, stored);
      acks.push({ collection: w.collection, key: w.key, userId: w.userId ?? '', version: stored.version });
    }
    for (const d of deletes ?? []) {
      const k = this.key(d.collection, d.key, d.userId ?? '');
      const existing = storage.get(k);
      if (d.version !== undefined && d.version !== '' && existing?.version !== d.version) throw new Error('Storage delete rejected - not found, version check failed, or permission denied.');
      storage.delete(k);
    }
    const walletAcks: any[] = [];
    for (const u of wallets ?? []) {
      const current = walletCopy.get(u.userId) ?? {};
      const previous = { ...current };
      for (const [name, delta] of Object.entries(u.changeset as Record<string, number>)) {
        if (!Number.isInteger(delta)) throw new Error('Wallet update rejected - changes must be integers.');
        const next = (current[name] ?? 0) + delta;
        if (next < 0) throw new Error(`wallet update rejected negative value at path '${name}'`);
        current[name] = next;
      }
      walletCopy.set(u.userId, current);
      walletAcks.push({ userId: u.userId, updated: { ...current }, previous });
    }
    this.beforeCommit?.();
    // A rival write made in beforeCommit is checked against too, as a database would.
    for (const w of writes ?? []) {
      const k = this.key(w.collection, w.key, w.userId ?? '');
      const live = this.storage.get(k);
      if (w.version === '*' && live) throw new Error('Storage write rejected - version check failed.');
      if (w.version !== undefined && w.version !== '*' && live?.version !== w.version) throw new Error('Storage write rejected - version check failed.');
    }
    for (const [k, v] of storage) this.storage.set(k, v);
    for (const k of [...this.storage.keys()]) if (!storage.has(k)) this.storage.delete(k);
    for (const [k, v] of walletCopy) this.wallets.set(k, v);
    return { acks, walletAcks };
  }

  nk(): any {
    const self = this;
    return {
      uuidv4: () => randomUUID(),
      sha256Hash: (s: string) => createHash('sha256').update(s).digest('hex'),
      binaryToString: (b: ArrayBuffer) => new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(b)),
      stringToBinary: (s: string) => new TextEncoder().encode(s).buffer,
      matchCreate: (module: string, params: Record<string, unknown> = {}) => self.createMatch(module, params).id,
      matchGet: (id: string) => {
        const m = self.matches.get(id);
        return m && !m.stopped ? { matchId: id, authoritative: true, size: m.presences.length, label: m.label } : null;
      },
      matchList: (limit: number, _auth: boolean, _label: string | null, _min: number | null, _max: number | null, query: string | null) =>
        [...self.matches.values()]
          .filter((m) => !m.stopped && labelMatches(m.label, query))
          .slice(0, limit)
          .map((m) => ({ matchId: m.id, authoritative: true, size: m.presences.length, label: m.label })),
      matchSignal: (id: string, data: string) => {
        // As the OSS registry: a match of another node is "not found" without asking anyone.
        const m = self.matches.get(id);
        if (!m || m.stopped || !id.endsWith(`.${self.node}`)) throw new Error(SIGNAL_NOT_FOUND);
        if (self.busy.has(id)) throw new Error(SIGNAL_BUSY);
        return m.signal(data);
      },
      storageRead: (keys: any[]) => {
        self.beforeRead?.(keys);
        if (self.databaseDown) throw new Error('failed to connect to the database: connection refused');
        return keys.flatMap((k) => {
          const o = self.storage.get(self.key(k.collection, k.key, k.userId ?? ''));
          // As the server: a stored value that is not a JSON object fails the whole read.
          if (o && (o.value === null || typeof o.value !== 'object' || Array.isArray(o.value))) {
            throw new Error(`failed to convert value to json: json: cannot unmarshal ${Array.isArray(o.value) ? 'array' : typeof o.value} into Go value of type map[string]interface {}`);
          }
          return o ? [{ collection: k.collection, key: k.key, userId: k.userId, ...o, value: JSON.parse(JSON.stringify(o.value)) }] : [];
        });
      },
      storageWrite: (writes: any[]) => self.applyWrites(writes, [], []).acks,
      storageDelete: (deletes: any[]) => {
        self.applyWrites([], deletes, []);
      },
      storageList: (userId: string | null, collection: string, limit = 100, cursor = '') => {
        const all = [...self.storage.entries()]
          .map(([k, o]) => ({ parts: k.split('\u0000'), o }))
          .filter(({ parts }) => parts[0] === collection && (userId === null || userId === undefined || parts[2] === userId))
          .sort((a, b) => (a.parts[1] < b.parts[1] ? -1 : 1));
        // As the server's: the cursor is the last key returned (a keyset, not an offset), so objects
        // removed while paging never make the next page skip any.
        const rest = cursor ? all.filter(({ parts }) => parts[1] > cursor) : all;
        const page = rest.slice(0, limit).map(({ parts, o }) => ({ collection: parts[0], key: parts[1], userId: parts[2], ...o }));
        return { objects: page, cursor: rest.length > limit ? page[page.length - 1].key : '' };
      },
      multiUpdate: (_accounts: any[] | null, writes: any[] | null, deletes: any[] | null, wallets: any[] | null) => {
        const r = self.applyWrites(writes ?? [], deletes ?? [], wallets ?? []);
        return { storageWriteAcks: r.acks, walletUpdateAcks: r.walletAcks };
      },
      walletUpdate: (userId: string, changeset: Record<string, number>) => self.applyWrites([], [], [{ userId, changeset }]).walletAcks[0],
      accountGetId: (userId: string) => ({ user: { userId, username: userId, metadata: {} }, wallet: { ...(self.wallets.get(userId) ?? {}) } }),
      metricsCounterAdd: (name: string, tags: Record<string, string>, delta: number) => self.metrics.push({ name, tags, value: delta }),
      metricsGaugeSet: (name: string, tags: Record<string, string>, value: number) => self.metrics.push({ name, tags, value }),
      metricsTimerRecord: (name: string, tags: Record<string, string>, value: number) => self.metrics.push({ name, tags, value }),
      // Node-local, shared by every VM of this node, entries kept for their ttl (seconds; 0: forever).
      localcacheGet: (key: string) => {
        const e = self.cache.get(key);
        if (e === undefined || (e.until !== null && Date.now() + self.clockShiftMs >= e.until)) return undefined;
        return e.value;
      },
      localcachePut: (key: string, value: unknown, ttl = 0) => {
        self.cache.set(key, { value, until: ttl > 0 ? Date.now() + self.clockShiftMs + ttl * 1000 : null });
      },
      localcacheDelete: (key: string) => {
        self.cache.delete(key);
      },
    };
  }

  /** Calls an RPC in a fresh frozen VM, as a pooled VM would. Errors come back as RpcFailure. */
  rpc(id: string, userId: string | null, payload: unknown): any {
    const fn = this.rpcNames.get(id);
    if (!fn) throw new Error(`no rpc ${id}`);
    const v = this.vm(true);
    try {
      const out = v[fn](this.ctx(userId ? { userId, username: userId } : {}), this.logger(), this.nk(), typeof payload === 'string' ? payload : JSON.stringify(payload));
      if (out !== undefined && typeof out !== 'string') throw new Error(`rpc ${id} returned ${typeof out}, not a string`);
      return out === undefined ? undefined : JSON.parse(out);
    } catch (e: any) {
      if (e instanceof Error && !(e instanceof RpcFailure)) {
        if (typeof e.message === 'string' && 'code' in e) throw new RpcFailure((e as any).code, e.message);
        throw new RpcFailure(13, e.message);
      }
      if (e && typeof e === 'object' && typeof e.code === 'number') throw new RpcFailure(e.code, String(e.message));
      throw e;
    }
  }

  /** Runs an after-authenticate hook in a fresh VM. */
  hook(name: string, userId: string, created: boolean): void {
    const fn = this.hooks[name];
    if (!fn) throw new Error(`no hook ${name}`);
    const v = this.vm(true);
    v[fn](this.ctx({ userId, username: userId }), this.logger(), this.nk(), { created, token: 't' }, { account: { id: userId }, create: true });
  }

  /** Runs a before-hook as the server does for a client request; a throw refuses the request. */
  private before(name: string, userId: string, request: any): any {
    const fn = this.hooks[name];
    if (!fn) return request;
    try {
      return this.vm(true)[fn](this.ctx({ userId, username: userId, executionMode: 'before' }), this.logger(), this.nk(), request);
    } catch (e: any) {
      throw new RpcFailure(typeof e?.code === 'number' ? e.code : 13, String(e?.message ?? e));
    }
  }

  /**
   * A client's WriteStorageObjects request, as 3.26.0 handles it: the before-hook first, then
   * writes owned by the caller, where an existing object's write permission is checked but a new
   * object takes the permissions the client asks for.
   */
  clientWriteStorage(userId: string, objects: { collection: string; key: string; value: unknown; version?: string; permissionRead?: number; permissionWrite?: number }[]): any[] {
    const req = this.before('beforeWriteStorageObjects', userId, { objects: objects.map((o) => ({ ...o, value: JSON.stringify(o.value) })) });
    const writes = (req.objects as any[]).map((o) => {
      const existing = this.storage.get(this.key(o.collection, o.key, userId));
      if (existing && existing.permissionWrite !== 1) throw new RpcFailure(3, 'Storage write rejected - permission denied.');
      return { collection: o.collection, key: o.key, userId, value: JSON.parse(o.value), version: o.version, permissionRead: o.permissionRead ?? 1, permissionWrite: o.permissionWrite ?? 1 };
    });
    try {
      return this.applyWrites(writes, [], []).acks;
    } catch (e: any) {
      throw new RpcFailure(3, String(e.message));
    }
  }

  /** A client's DeleteStorageObjects request: the before-hook, then only objects it owns and may write. */
  clientDeleteStorage(userId: string, objectIds: { collection: string; key: string; version?: string }[]): void {
    const req = this.before('beforeDeleteStorageObjects', userId, { objectIds });
    for (const o of req.objectIds as any[]) {
      const existing = this.storage.get(this.key(o.collection, o.key, userId));
      if (existing && existing.permissionWrite === 0) throw new RpcFailure(3, 'Storage delete rejected - not found, version check failed, or permission denied.');
    }
    this.applyWrites([], (req.objectIds as any[]).map((o) => ({ ...o, userId })), []);
  }

  matchmakerMatched(userIds: string[], properties: Record<string, string>): string | undefined {
    const v = this.vm(true);
    return v[this.hooks.matchmakerMatched](this.ctx({}), this.logger(), this.nk(), userIds.map((u) => ({ properties, presence: { userId: u, sessionId: randomUUID(), username: u, node: this.node } })));
  }

  createMatch(module: string, params: Record<string, unknown>): FakeMatch {
    const names = this.matchHandlerNames[module];
    if (!names) throw new Error(`no match handler ${module}`);
    const id = `${randomUUID()}.${this.node}`;
    const m = new FakeMatch(this, id, names, params);
    this.matches.set(id, m);
    return m;
  }
}

/**
 * Parses the label queries the module uses: `+label.field:value` and `+label.field:>=N`. Fields
 * are indexed as the server indexes them: strings as keywords, booleans as the keywords `T` and
 * `F`, null not at all. Unlike the server's, this index is current at once: the real one trails a
 * new match or a label change by up to `match.label_update_interval_ms` (1 s).
 */
export function labelMatches(label: string, query: string | null): boolean {
  if (!query) return true;
  const l = JSON.parse(label) as Record<string, unknown>;
  return query
    .trim()
    .split(/\s+/)
    .every((term) => {
      const m = /^\+label\.([a-zA-Z_]+):(>=)?(.+)$/.exec(term);
      if (!m) throw new Error(`fake matchList cannot parse ${term}`);
      const v = l[m[1]];
      if (m[2]) return typeof v === 'number' && v >= Number(m[3]);
      const indexed = typeof v === 'boolean' ? (v ? 'T' : 'F') : v === null || v === undefined ? null : String(v);
      return indexed === m[3];
    });
}

export interface Received {
  op: number;
  body: any;
}

/** One socket of one user. A new connect gives a new session id, as on the server. */
export class FakeClient {
  readonly sessionId = randomUUID();
  readonly inbox: Received[] = [];
  closed = false;
  joined = false;

  constructor(
    readonly match: FakeMatch,
    readonly userId: string,
  ) {}

  presence(reason?: number): any {
    const p: any = { userId: this.userId, sessionId: this.sessionId, username: this.userId, node: this.match.server.node };
    // The server boxes the reason: typeof is 'object' and === never matches.
    if (reason !== undefined) p.reason = new Number(reason);
    return p;
  }

  /** Attempts to join; if accepted the server adds the presence (matchJoin) right away. */
  join(metadata: Record<string, unknown> = {}): { accepted: boolean; rejectMessage?: string } {
    for (const v of Object.values(metadata)) if (typeof v !== 'string') throw new Error('the server closes a socket whose join metadata is not a string map');
    return this.match.attemptJoin(this, metadata);
  }

  send(op: number, body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    this.match.queueMessage(this, op, new TextEncoder().encode(text).buffer);
  }

  /** leaveMatch: a consented leave (reason 3). */
  leave(): void {
    this.match.queueLeave(this, 3);
  }

  /** The socket closed: the server sees a disconnect (reason 4) on the next tick. */
  drop(): void {
    this.closed = true;
    this.match.queueLeave(this, 4);
  }

  /** Traffic stops; the server notices only when serverNotices() is called. */
  blackhole(): void {
    this.closed = true;
  }

  serverNotices(): void {
    this.match.queueLeave(this, 4);
  }

  of(op: number): any[] {
    return this.inbox.filter((m) => m.op === op).map((m) => m.body);
  }

  last(op: number): any {
    return this.of(op).at(-1);
  }
}

export class FakeMatch {
  state: unknown;
  label = '';
  tickRate = 0;
  tick = 0;
  stopped = false;
  crashed: unknown = null;
  presences: FakeClient[] = [];
  private readonly vm: Record<string, any>;
  private readonly queue: { sender: FakeClient; opCode: number; data: ArrayBuffer }[] = [];
  private readonly leaves: { client: FakeClient; reason: number }[] = [];

  constructor(
    readonly server: FakeServer,
    readonly id: string,
    private readonly names: Record<string, string>,
    params: Record<string, unknown>,
  ) {
    this.vm = server.vm(true);
    const r = this.vm[names.matchInit](this.ctx(), server.logger(), server.nk(), params);
    if (!Number.isInteger(r.tickRate) || r.tickRate < 1 || r.tickRate > 60) throw new Error('tickRate must be 1..60');
    this.tickRate = r.tickRate;
    this.label = r.label;
    this.state = keep(r.state);
  }

  private ctx(): any {
    return this.server.ctx({ matchId: this.id, matchNode: this.server.node, executionMode: 'match' });
  }

  private dispatcher(): any {
    return {
      broadcastMessage: (op: number, data: unknown, presences: any[] | null) => {
        if (data !== null && data !== undefined && typeof data !== 'string' && !(data instanceof ArrayBuffer)) throw new TypeError('data must be a string or ArrayBuffer');
        const text = typeof data === 'string' ? data : data ? new TextDecoder().decode(new Uint8Array(data as ArrayBuffer)) : '';
        const targets = presences === null || presences === undefined ? this.presences : this.presences.filter((c) => presences.some((p) => p.sessionId === c.sessionId));
        for (const c of targets) if (!c.closed) c.inbox.push({ op, body: text ? JSON.parse(text) : null });
      },
      broadcastMessageDeferred: (op: number, data: unknown, presences: any[] | null) => this.dispatcher().broadcastMessage(op, data, presences),
      matchKick: (presences: any[]) => {
        for (const p of presences) {
          const c = this.presences.find((x) => x.sessionId === p.sessionId);
          if (c) this.leaves.push({ client: c, reason: 3 });
        }
      },
      matchLabelUpdate: (label: string) => {
        if (Buffer.byteLength(label) > 2048) throw new Error('label too long');
        this.label = label;
      },
    };
  }

  /** Runs one callback the way the server does: Go-backed state in, exported state kept. */
  private call(name: string, ...args: any[]): any {
    if (this.stopped) return null;
    let out: any;
    try {
      out = this.vm[this.names[name]](this.ctx(), this.server.logger(), this.server.nk(), this.dispatcher(), this.tick, goBacked(this.state), ...args);
    } catch (e) {
      // A throw stops the match and closes every participant's socket.
      this.crashed = e;
      this.stopped = true;
      for (const c of this.presences) c.closed = true;
      return null;
    }
    if (out === null || out === undefined || out.state === undefined || out.state === null) {
      this.stopped = true;
      return out ?? null;
    }
    this.state = keep(out.state);
    return out;
  }

  connect(userId: string): FakeClient {
    return new FakeClient(this, userId);
  }

  attemptJoin(client: FakeClient, metadata: Record<string, unknown>): { accepted: boolean; rejectMessage?: string } {
    if (this.stopped) return { accepted: false, rejectMessage: 'match not found' };
    const r = this.call('matchJoinAttempt', client.presence(), metadata);
    if (r === null) return { accepted: false, rejectMessage: 'match not found' };
    if (!r.accept) return { accepted: false, rejectMessage: r.rejectMessage };
    this.presences.push(client);
    client.joined = true;
    this.call('matchJoin', [client.presence(0)]);
    return { accepted: true };
  }

  queueMessage(client: FakeClient, opCode: number, data: ArrayBuffer): void {
    if (client.closed || !this.presences.includes(client)) return;
    // The input queue holds 128 messages; the rest are dropped.
    if (this.queue.length < 128) this.queue.push({ sender: client, opCode, data });
  }

  queueLeave(client: FakeClient, reason: number): void {
    this.leaves.push({ client, reason });
  }

  /** Processes queued leaves, then runs one loop with the queued messages, then tick + 1. */
  step(n = 1): void {
    for (let i = 0; i < n && !this.stopped; i++) {
      const leaves = this.leaves.splice(0).filter((l) => this.presences.includes(l.client));
      for (const l of leaves) {
        this.presences = this.presences.filter((c) => c !== l.client);
        this.call('matchLeave', [l.client.presence(l.reason)]);
      }
      if (this.stopped) return;
      const messages = this.queue.splice(0).map((m) => ({ sender: m.sender.presence(), persistence: false, status: '', opCode: m.opCode, data: m.data, reliable: true, receiveTimeMs: Date.now() }));
      this.call('matchLoop', messages);
      this.tick += 1;
    }
  }

  signal(data: string): string {
    const r = this.call('matchSignal', data);
    return r?.data ?? '';
  }

  /**
   * Graceful shutdown. As on 3.26.0: anything but an object with `state` is an error; otherwise
   * the match keeps running (loops, joins, leaves, signals) until the grace period ends
   * (`graceOver`), and a grace of 0 stops it at once.
   */
  terminate(graceSeconds = 10): void {
    const out = this.call('matchTerminate', graceSeconds);
    if (!this.crashed && (out === null || out.state === undefined)) {
      this.crashed = new Error("matchTerminate is expected to return an object with 'state' property");
      this.stopped = true;
    }
    if (graceSeconds === 0) this.stopped = true;
  }

  /** The shutdown grace period is over: the server stops the match with no further callback. */
  graceOver(): void {
    this.stopped = true;
  }
}

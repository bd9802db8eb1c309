// The subset of Nakama 3.26's JavaScript runtime API that this module uses, declared with the
// same names and shapes as Heroic Labs' upstream "nakama-runtime" declarations (nakama-common's
// index.d.ts), which are not published on the npm registry. Switching to the upstream package is
// one line in tsconfig.json ("types").
//
// Deliberately absent: `nkruntime.Codes` and `nkruntime.PresenceReason`. Upstream declares them as
// ambient const enums, which esbuild leaves as property reads that fail inside the server. The
// module uses its own numeric constants (src/runtime/codes.ts).

declare namespace nkruntime {
  type Context = {
    env: { [key: string]: string };
    executionMode: string;
    node: string;
    version: string;
    headers?: { [key: string]: string[] };
    queryParams?: { [key: string]: string[] };
    userId?: string;
    username?: string;
    vars?: { [key: string]: string };
    userSessionExp?: number;
    sessionId?: string;
    clientIp?: string;
    clientPort?: string;
    matchId?: string;
    matchNode?: string;
    matchLabel?: string;
    matchTickRate?: number;
  };

  type ReadPermissionValues = 0 | 1 | 2;
  type WritePermissionValues = 0 | 1;

  interface Logger {
    info(format: string, ...args: any[]): string;
    warn(format: string, ...args: any[]): string;
    error(format: string, ...args: any[]): string;
    debug(format: string, ...args: any[]): string;
    /** A logger whose entries carry these fields as well (JSON keys in the server's log). */
    withFields(fields: { [key: string]: string | number }): Logger;
  }

  interface Presence {
    userId: string;
    sessionId: string;
    username: string;
    node: string;
    status?: string;
    hidden?: boolean;
    persistence?: boolean;
    /** Boxed in the real server: read it with Number(presence.reason). */
    reason?: unknown;
  }

  interface MatchMessage {
    sender: Presence;
    persistence: boolean;
    status: string;
    opCode: number;
    data: ArrayBuffer;
    reliable: boolean;
    receiveTimeMs: number;
  }

  interface MatchState {
    [key: string]: any;
  }

  interface MatchDispatcher {
    broadcastMessage(
      opcode: number,
      data?: ArrayBuffer | string | null,
      presences?: Presence[] | null,
      sender?: Presence | null,
      reliable?: boolean,
    ): void;
    broadcastMessageDeferred(
      opcode: number,
      data?: ArrayBuffer | string | null,
      presences?: Presence[] | null,
      sender?: Presence,
      reliable?: boolean,
    ): void;
    matchKick(presences: Presence[]): void;
    matchLabelUpdate(label: string): void;
  }

  interface MatchInitFunction<State = MatchState> {
    (ctx: Context, logger: Logger, nk: Nakama, params: { [key: string]: any }): {
      state: State;
      tickRate: number;
      label: string;
    };
  }
  interface MatchJoinAttemptFunction<State = MatchState> {
    (
      ctx: Context,
      logger: Logger,
      nk: Nakama,
      dispatcher: MatchDispatcher,
      tick: number,
      state: State,
      presence: Presence,
      metadata: { [key: string]: any },
    ): { state: State; accept: boolean; rejectMessage?: string } | null;
  }
  interface MatchJoinFunction<State = MatchState> {
    (
      ctx: Context,
      logger: Logger,
      nk: Nakama,
      dispatcher: MatchDispatcher,
      tick: number,
      state: State,
      presences: Presence[],
    ): { state: State } | null;
  }
  type MatchLeaveFunction<State = MatchState> = MatchJoinFunction<State>;
  interface MatchLoopFunction<State = MatchState> {
    (
      ctx: Context,
      logger: Logger,
      nk: Nakama,
      dispatcher: MatchDispatcher,
      tick: number,
      state: State,
      messages: MatchMessage[],
    ): { state: State } | null;
  }
  interface MatchTerminateFunction<State = MatchState> {
    (
      ctx: Context,
      logger: Logger,
      nk: Nakama,
      dispatcher: MatchDispatcher,
      tick: number,
      state: State,
      graceSeconds: number,
    ): { state: State } | null;
  }
  interface MatchSignalFunction<State = MatchState> {
    (
      ctx: Context,
      logger: Logger,
      nk: Nakama,
      dispatcher: MatchDispatcher,
      tick: number,
      state: State,
      data: string,
    ): { state: State; data?: string } | null;
  }
  interface MatchHandler<State = MatchState> {
    matchInit: MatchInitFunction<State>;
    matchJoinAttempt: MatchJoinAttemptFunction<State>;
    matchJoin: MatchJoinFunction<State>;
    matchLeave: MatchLeaveFunction<State>;
    matchLoop: MatchLoopFunction<State>;
    matchTerminate: MatchTerminateFunction<State>;
    matchSignal: MatchSignalFunction<State>;
  }

  interface Match {
    matchId: string;
    authoritative: boolean;
    size: number;
    label: string;
  }

  interface MatchmakerResult {
    properties: { [key: string]: string };
    presence: Presence;
    partyId?: string;
  }
  interface MatchmakerMatchedFunction {
    (ctx: Context, logger: Logger, nk: Nakama, matches: MatchmakerResult[]): string | void;
  }

  interface RpcFunction {
    (ctx: Context, logger: Logger, nk: Nakama, payload: string): string | void;
  }

  interface Session {
    created: boolean;
    token: string;
    refreshToken?: string;
  }
  interface AuthenticateCustomRequest {
    account?: { id?: string; vars?: { [key: string]: string } };
    create?: boolean;
    username?: string;
  }
  interface AuthenticateDeviceRequest {
    account?: { id?: string; vars?: { [key: string]: string } };
    create?: boolean;
    username?: string;
  }
  interface AuthenticateEmailRequest {
    account?: { email?: string; password?: string; vars?: { [key: string]: string } };
    create?: boolean;
    username?: string;
  }
  interface AfterHookFunction<T, K> {
    (ctx: Context, logger: Logger, nk: Nakama, data: T, request: K): void;
  }

  interface StorageObject {
    key: string;
    collection: string;
    userId: string;
    version: string;
    permissionRead: ReadPermissionValues;
    permissionWrite: WritePermissionValues;
    createTime: number;
    updateTime: number;
    value: { [key: string]: any };
  }
  interface StorageReadRequest {
    key: string;
    collection: string;
    userId: string;
  }
  interface StorageWriteRequest {
    key: string;
    collection: string;
    userId: string | undefined;
    value: { [key: string]: any };
    version?: string;
    permissionRead?: ReadPermissionValues;
    permissionWrite?: WritePermissionValues;
  }
  interface StorageWriteAck {
    key: string;
    collection: string;
    userId: string;
    version: string;
  }
  interface StorageDeleteRequest {
    key: string;
    collection: string;
    userId: string;
    version?: string;
  }
  interface StorageObjectList {
    objects?: StorageObject[];
    cursor?: string;
  }

  interface WalletUpdate {
    userId: string;
    changeset: { [key: string]: number };
    metadata?: { [key: string]: any };
  }
  interface WalletUpdateResult {
    userId: string;
    updated: { [key: string]: number };
    previous: { [key: string]: number };
  }
  interface UserUpdateAccount {
    userId: string;
    username?: string | null;
    displayName?: string | null;
    timezone?: string | null;
    location?: string | null;
    langTag?: string | null;
    avatarUrl?: string | null;
    metadata?: { [key: string]: any } | null;
  }
  interface Account {
    user: { userId: string; username: string; metadata: { [key: string]: any } };
    wallet: { [key: string]: number };
  }

  interface Nakama {
    uuidv4(): string;
    sha256Hash(input: string): string;
    hmacSha256Hash(key: string, input: string): ArrayBuffer;
    base64UrlEncode(input: string | ArrayBuffer, padding?: boolean): string;
    binaryToString(data: ArrayBuffer): string;
    stringToBinary(str: string): ArrayBuffer;

    matchCreate(module: string, params?: { [key: string]: any }): string;
    matchGet(id: string): Match | null;
    matchList(
      limit: number,
      authoritative?: boolean | null,
      label?: string | null,
      minSize?: number | null,
      maxSize?: number | null,
      query?: string | null,
    ): Match[];
    matchSignal(id: string, data: string): string;

    storageRead(keys: StorageReadRequest[]): StorageObject[];
    storageWrite(keys: StorageWriteRequest[]): StorageWriteAck[];
    storageDelete(keys: StorageDeleteRequest[]): void;
    storageList(
      userId: string | void | null,
      collection: string,
      limit?: number,
      cursor?: string,
    ): StorageObjectList;
    multiUpdate(
      accountUpdates: UserUpdateAccount[] | null,
      storageObjectsUpdates: StorageWriteRequest[] | null,
      storageObjectsDeletes: StorageDeleteRequest[] | null,
      walletUpdates: WalletUpdate[] | null,
      updateLedger?: boolean,
    ): { storageWriteAcks: StorageWriteAck[]; walletUpdateAcks: WalletUpdateResult[] };
    walletUpdate(
      userId: string,
      changeset: { [key: string]: number },
      metadata?: { [key: string]: any },
      updateLedger?: boolean,
    ): WalletUpdateResult;
    accountGetId(userId: string): Account;

    metricsCounterAdd(name: string, tags: { [key: string]: string }, delta: number): void;
    metricsGaugeSet(name: string, tags: { [key: string]: string }, value: number): void;
    metricsTimerRecord(name: string, tags: { [key: string]: string }, value: number): void;

    localcacheGet(key: string): any;
    localcachePut(key: string, value: any, ttl?: number): void;
    localcacheDelete(key: string): void;
  }

  interface Initializer {
    registerRpc(id: string, func: RpcFunction): void;
    registerMatch<State = MatchState>(name: string, functions: MatchHandler<State>): void;
    registerMatchmakerMatched(fn: MatchmakerMatchedFunction): void;
    registerAfterAuthenticateCustom(fn: AfterHookFunction<Session, AuthenticateCustomRequest>): void;
    registerAfterAuthenticateDevice(fn: AfterHookFunction<Session, AuthenticateDeviceRequest>): void;
    registerAfterAuthenticateEmail(fn: AfterHookFunction<Session, AuthenticateEmailRequest>): void;
    registerBeforeWriteStorageObjects(fn: BeforeHookFunction<WriteStorageObjectsRequest>): void;
    registerBeforeDeleteStorageObjects(fn: BeforeHookFunction<DeleteStorageObjectsRequest>): void;
  }

  /** A before-hook: returns the (possibly changed) request, or throws `{message, code}` to refuse it. */
  interface BeforeHookFunction<T> {
    (ctx: Context, logger: Logger, nk: Nakama, data: T): T | void;
  }

  /** A client's storage write request as the before-hook sees it. */
  interface WriteStorageObjectsRequest {
    objects?: { collection?: string; key?: string; value?: string; version?: string; permissionRead?: number; permissionWrite?: number }[];
  }

  /** A client's storage delete request as the before-hook sees it. */
  interface DeleteStorageObjectsRequest {
    objectIds?: { collection?: string; key?: string; version?: string }[];
  }

  interface InitModule {
    (ctx: Context, logger: Logger, nk: Nakama, initializer: Initializer): void;
  }
}

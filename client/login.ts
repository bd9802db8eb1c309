// The player's login: kept valid before every connect and RPC (refreshed with the refresh token,
// or renewed through the app's sign-in), and RPCs with one retry after a 401.
import type { Client, Session } from '@heroiclabs/nakama-js';
import { asResponse, SessionExpired } from './errors.js';
import { refusalOf } from './idempotent-rpc.js';

export interface LoginOptions {
  client: Client;
  session: Session;
  reauthenticate?: () => Promise<Session>;
  /** Refresh this many seconds before the login expires. */
  refreshMarginSec?: number;
  /** Prefix of every RPC id (a game's own names). */
  rpcPrefix?: string;
  now: () => number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class Login {
  private current: Session;
  /** The server refused the login (a 401): renew it before the next call, whatever its expiry says. */
  private force = false;

  constructor(private readonly opts: LoginOptions) {
    this.current = opts.session;
  }

  /** The login as last refreshed or renewed. */
  get session(): Session {
    return this.current;
  }

  /** The server refused the login on a socket upgrade or an RPC. */
  refused(): void {
    this.force = true;
  }

  /** Before any connect or RPC: a login that is valid for a while yet. */
  async ensure(): Promise<Session> {
    const nowSec = this.opts.now() / 1000;
    if (!this.force && !this.session.isexpired(nowSec + (this.opts.refreshMarginSec ?? 30))) return this.session;
    // Try the refresh token while it has not expired by our clock; the server has the last word.
    if (this.session.refresh_token && !this.session.isrefreshexpired(nowSec)) {
      try {
        this.current = await this.opts.client.sessionRefresh(this.session);
        this.force = false;
        this.opts.log('session refreshed', { userId: this.session.user_id });
        return this.session;
      } catch (err) {
        // The network: fail this attempt and try again later. A refusal: sign in again.
        if (!asResponse(err)) throw err;
      }
    }
    if (!this.opts.reauthenticate) throw new SessionExpired();
    this.current = await this.opts.reauthenticate();
    this.force = false;
    this.opts.log('signed in again', { userId: this.session.user_id });
    return this.session;
  }

  /**
   * An RPC with a valid login; one retry after a 401. Refusals become RpcRefused. `client`: the
   * node to ask (default the app's own client); the login is valid on every node.
   */
  async rpc<T>(name: string, payload: object, client: Client = this.opts.client): Promise<T> {
    const id = (this.opts.rpcPrefix ?? '') + name;
    await this.ensure();
    try {
      return (await client.rpc(this.session, id, payload)).payload as T;
    } catch (err) {
      const res = asResponse(err);
      if (!res) throw err;
      if (res.status !== 401) throw await refusalOf(res);
      this.force = true;
      await this.ensure();
      try {
        return (await client.rpc(this.session, id, payload)).payload as T;
      } catch (again) {
        const r2 = asResponse(again);
        if (!r2) throw again;
        throw await refusalOf(r2);
      }
    }
  }
}

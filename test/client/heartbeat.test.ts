// nakama-js 2.8.0 itself (its DefaultSocket, over a fake WebSocket adapter that never answers): in
// Node, where there is no global `window`, a missed heartbeat must still be reported.
import { DefaultSocket } from '@heroiclabs/nakama-js';
import { describe, expect, it } from 'vitest';
import { guardHeartbeat } from '../../client/match-transport';

class SilentAdapter {
  open = false;
  closed = 0;
  onOpen: ((e: unknown) => void) | null = null;
  onClose: ((e: unknown) => void) | null = null;
  onError: ((e: unknown) => void) | null = null;
  onMessage: ((m: unknown) => void) | null = null;
  isOpen() {
    return this.open;
  }
  close() {
    this.open = false;
    this.closed++;
  }
  connect() {
    setTimeout(() => {
      this.open = true;
      this.onOpen?.({});
    }, 1);
  }
  send() {
    // a black hole: nothing ever comes back
  }
}

describe('heartbeat in Node', () => {
  it('reports a missed pong through onheartbeattimeout even without a global window', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    const adapter = new SilentAdapter();
    const socket = new DefaultSocket('127.0.0.1', '7350', false, false, adapter as never);
    socket.setHeartbeatTimeoutMs(30);
    guardHeartbeat(socket);
    let timedOut = 0;
    socket.onheartbeattimeout = () => void timedOut++;
    await socket.connect({ token: 'x' } as never, false, 1000);
    await new Promise((r) => setTimeout(r, 150));
    expect(timedOut).toBe(1);
    expect(adapter.closed).toBe(1);
  });
});

// Typed events: handlers by name, each called in the order it was added. A handler that throws is
// reported and does not stop the others (nor the connection).
export class Emitter<E> {
  private readonly handlers: { [K in keyof E]?: ((payload: E[K]) => void)[] } = {};

  constructor(private readonly onThrow: (event: keyof E, err: unknown) => void) {}

  on<K extends keyof E>(event: K, handler: (payload: E[K]) => void): void {
    (this.handlers[event] ??= []).push(handler);
  }

  off<K extends keyof E>(event: K, handler: (payload: E[K]) => void): void {
    const list = this.handlers[event];
    if (list) this.handlers[event] = list.filter((h) => h !== handler);
  }

  emit<K extends keyof E>(event: K, payload: E[K]): void {
    for (const h of this.handlers[event] ?? []) {
      try {
        h(payload);
      } catch (err) {
        this.onThrow(event, err);
      }
    }
  }
}

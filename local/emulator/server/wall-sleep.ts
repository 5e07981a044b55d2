/** Real-time waits for injected latency, all of which end at once when the emulator stops. */
export class WallSleep {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  /** Resolves after `ms` of wall time, or as soon as `cancelAll` is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  cancelAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}

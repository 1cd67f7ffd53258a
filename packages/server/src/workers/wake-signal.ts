/**
 * Lets a worker sleep until there is work: `wait` resolves when `notify` is
 * called or after `ms`, whichever comes first. A notify with nobody waiting
 * is remembered, so that work arriving just before the wait is not missed.
 */
export class WakeSignal {
  #wake: (() => void) | undefined;
  #pending = false;

  wait(ms: number): Promise<void> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        if (this.#wake === wake) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, ms));
      this.#wake = wake;
    });
  }

  notify(): void {
    if (this.#wake) this.#wake();
    else this.#pending = true;
  }
}

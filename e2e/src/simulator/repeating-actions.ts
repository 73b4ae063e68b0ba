/**
 * Actions repeated on a timer, one at a time each, that can be halted and then waited for:
 * `halt()` starts no new action, `settled()` resolves once every action already started has
 * answered. A load stops with both, so an answer that arrives after the stop (a job accepted in
 * the last second) is in the ledger before anyone reads it.
 */
export class RepeatingActions {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private halted = false;

  /**
   * Runs `act` every `ms`, skipping a tick while the previous run is still going; a failed run is
   * the action's own business (it records what it saw). `randomPhase` starts the first run at a
   * random point of the period, so a hundred robots do not all speak in the same millisecond.
   */
  every(ms: number, act: () => Promise<void>, { randomPhase = false } = {}): void {
    let busy = false;
    const tick = () => {
      if (busy || this.halted) return;
      busy = true;
      const running: Promise<void> = act()
        .catch(() => undefined)
        .finally(() => {
          busy = false;
          this.inFlight.delete(running);
        });
      this.inFlight.add(running);
    };
    if (!randomPhase) {
      this.timers.push(setInterval(tick, ms));
      return;
    }
    const start = setTimeout(() => {
      tick();
      this.timers.push(setInterval(tick, ms));
    }, Math.random() * ms);
    this.timers.push(start);
  }

  /** No action starts after this; those running go on. */
  halt(): void {
    this.halted = true;
    this.timers.forEach((timer) => clearTimeout(timer));
  }

  /** Resolves when every action started before `halt()` has answered. */
  async settled(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }
}

// When a media connection needs repairing, decided once for both modes: 'failed' at once,
// 'disconnected' that has not come back within a grace period, and 'new'/'connecting' that never
// connects (the Chromium glare wedge). Each repair waits longer than the previous one, and the
// count is bounded, so a path that is really gone does not restart forever. Timers only; the engine
// says what a repair is (an ICE restart through negotiation, or transport.restartIce()).

export interface WatchdogOptions {
  /** How long 'disconnected' may last before a restart (browsers often recover by themselves). */
  disconnectedMs: number;
  /** How long a connection may stay 'new' or 'connecting' before a restart. */
  connectingMs: number;
  /** Restarts before giving up (the engine then reports the failure). */
  maxRepairs: number;
}

export const WATCHDOG_DEFAULTS: WatchdogOptions = { disconnectedMs: 4000, connectingMs: 10_000, maxRepairs: 5 };

export class IceWatchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private repairs = 0;
  private closed = false;

  constructor(
    private readonly repair: (reason: 'failed' | 'disconnected' | 'stuck', attempt: number) => void,
    private readonly giveUp: () => void,
    private readonly options: WatchdogOptions = WATCHDOG_DEFAULTS,
  ) {}

  /** Feed every connection state change (and the initial state) here. */
  observe(state: RTCPeerConnectionState | 'disconnected' | 'failed' | 'connected' | 'new' | 'connecting' | 'closed'): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    switch (state) {
      case 'connected':
        this.repairs = 0;
        return;
      case 'failed':
        this.schedule('failed', 0);
        return;
      case 'disconnected':
        this.schedule('disconnected', this.options.disconnectedMs);
        return;
      case 'new':
      case 'connecting':
        this.schedule('stuck', this.options.connectingMs);
        return;
      default:
        return; // closed: nothing to repair
    }
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(reason: 'failed' | 'disconnected' | 'stuck', delayMs: number): void {
    // Back off between repairs: the n-th waits n times the base delay (at least a second).
    const wait = Math.max(delayMs, 1000 * this.repairs);
    const fire = () => {
      if (this.closed) return;
      if (this.repairs >= this.options.maxRepairs) {
        this.giveUp();
        return;
      }
      this.repairs += 1;
      this.repair(reason, this.repairs);
      // A repair that changes nothing is retried after the same reason's delay.
      this.schedule(reason, reason === 'failed' ? this.options.disconnectedMs : delayMs);
    };
    // A first failure is repaired at once, in the same turn as the state change that reported it.
    if (wait === 0) fire();
    else this.timer = setTimeout(fire, wait);
  }
}

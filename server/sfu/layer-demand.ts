// One simulcast producer's demand (dynacast): the highest spatial layer any of its consumers needs,
// and when to tell its owner. Upgrades go out at once (a tile that grew must not wait); downgrades
// wait until the lower need has held for a while, so a resize or a consumer coming and going does
// not switch the sender's encoders off and on.

export interface LayerDemandOptions {
  /** The producer's highest spatial layer (its encodings, minus one). */
  topLayer: number;
  /** How long a lower need must hold before the producer is told to drop its upper layers. */
  downgradeDelayMs: number;
  /** Tells the producer's owner the highest layer to encode. */
  apply(maxSpatialLayer: number): void;
}

export class LayerDemand {
  /** Consumer id → the layer it needs; consumers that need nothing now (paused) are absent. */
  private readonly needs = new Map<string, number>();
  /** What the producer encodes now: a browser starts with every layer on. */
  private current: number;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: LayerDemandOptions) {
    this.current = options.topLayer;
    // No consumer yet: only the lowest layer is needed, once the delay has passed.
    this.reconcile();
  }

  /** The layer one consumer needs now; null removes it (paused or closed). */
  set(consumerId: string, need: number | null): void {
    if (need === null) this.needs.delete(consumerId);
    else this.needs.set(consumerId, Math.min(Math.max(0, need), this.options.topLayer));
    this.reconcile();
  }

  /** The highest layer any consumer needs now; 0 without consumers (nobody watches, the thumbnail is cheap). */
  get wanted(): number {
    let max = 0;
    for (const need of this.needs.values()) max = Math.max(max, need);
    return max;
  }

  /** The highest layer the producer was last told (or started) to encode. */
  get applied(): number {
    return this.current;
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private reconcile(): void {
    const wanted = this.wanted;
    if (wanted >= this.current) {
      this.close();
      if (wanted > this.current) this.tell(wanted);
      return;
    }
    // Lower: wait (a wait already running keeps its start; it applies whatever is wanted then).
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const now = this.wanted;
      if (now < this.current) this.tell(now);
    }, this.options.downgradeDelayMs);
    this.timer.unref?.();
  }

  private tell(layer: number): void {
    this.current = layer;
    this.options.apply(layer);
  }
}

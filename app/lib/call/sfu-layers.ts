// Simulcast on the SFU path, both ways. Receiving: each peer's camera consumer asks the server for
// the layer its tile needs (view-layers.ts), coalesced so a window resize sends one request per
// consumer whose layer changed. Sending: the server says the highest layer anyone needs of our
// camera (sfu:producerLayers, dynacast) and the layers above it stop encoding.
import type { types } from 'mediasoup-client';
import { sfuProducerLayersSchema, spatialLayersOf, type MediaSource } from '../../../signaling/protocol';
import { layerForView, type ViewSize } from './view-layers';

/** What our SFU path asks for and is told about simulcast layers (the snapshot's `simulcast`). */
export interface SimulcastState {
  /** Per remote peer's camera: its tile's rendered size (device pixels) and the spatial layer we asked for. */
  receiving: Record<string, { width: number; height: number; spatialLayer: number }>;
  /** Our camera: how many layers it has and the highest the server says anyone needs (null: not said yet, all on). */
  sending: { layers: number; maxSpatialLayer: number | null } | null;
}

export interface SfuLayersHost {
  /** The tile size the page reported for one peer's source, or null while it shows no video. */
  viewSize(peerId: string, source: MediaSource): ViewSize | null;
  setPreferredLayers(consumerId: string, spatialLayer: number): Promise<unknown>;
  changed(state: SimulcastState | null): void;
}

interface Received {
  peerId: string;
  layers: number;
  /** What the server holds for it: a new consumer prefers the top layer until its tile reports. */
  asked: number;
  view: ViewSize | null;
}

/** How long tile size changes are gathered before the requests they cause go out, ms. */
export const VIEW_COALESCE_MS = 250;

export class SfuLayers {
  private readonly received = new Map<string, Received>();
  private readonly sent = new Map<string, { producer: types.Producer; layers: number; max: number | null; applying: Promise<void> }>();
  /** A push for a producer we do not hold yet (its produce reply and the push crossed). */
  private readonly early = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: SfuLayersHost,
    private readonly coalesceMs = VIEW_COALESCE_MS,
  ) {}

  /** A consumer of a peer's camera (other sources have one encoding and are left alone). */
  consumerAdded(consumer: types.Consumer, peerId: string, source: MediaSource): void {
    const layers = spatialLayersOf(consumer.rtpParameters.encodings?.[0]?.scalabilityMode);
    if (source !== 'camera' || consumer.kind !== 'video' || layers < 2) return;
    this.received.set(consumer.id, { peerId, layers, asked: layers - 1, view: null });
    consumer.observer.once('close', () => {
      this.received.delete(consumer.id);
      this.publish();
    });
    this.viewChanged();
  }

  /** Some tile changed size: the requests go out once the changes settle. */
  viewChanged(): void {
    if (this.timer || !this.received.size) return;
    this.timer = setTimeout(() => this.flush(), this.coalesceMs);
  }

  /** One of our producers; a simulcast camera is kept so the server's pushes can reach it. */
  producerAdded(producer: types.Producer): void {
    const layers = producer.rtpParameters.encodings?.length ?? 1;
    if (producer.kind !== 'video' || layers < 2) return;
    this.sent.set(producer.id, { producer, layers, max: null, applying: Promise.resolve() });
    producer.observer.once('close', () => {
      this.sent.delete(producer.id);
      this.publish();
    });
    const early = this.early.get(producer.id);
    this.early.delete(producer.id);
    if (early !== undefined) this.producerLayers({ producerId: producer.id, maxSpatialLayer: early });
    else this.publish();
  }

  /** sfu:producerLayers: encode our layers up to this one only (mediasoup-client sets active=false above it). */
  producerLayers(push: unknown): void {
    const parsed = sfuProducerLayersSchema.safeParse(push);
    if (!parsed.success) return console.warn('ignoring a malformed sfu:producerLayers', push);
    const { producerId, maxSpatialLayer } = parsed.data;
    const entry = this.sent.get(producerId);
    if (!entry) {
      this.early.set(producerId, maxSpatialLayer);
      return;
    }
    entry.max = Math.min(maxSpatialLayer, entry.layers - 1);
    // One change at a time per producer, the newest wins (each one renegotiates the send transport).
    entry.applying = entry.applying.then(async () => {
      if (entry.producer.closed || entry.max === null) return;
      await entry.producer.setMaxSpatialLayer(entry.max).catch((err: unknown) => console.warn('could not change our simulcast layers', err));
    });
    this.publish();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.received.clear();
    this.sent.clear();
    this.early.clear();
    this.host.changed(null);
  }

  private flush(): void {
    this.timer = undefined;
    for (const [consumerId, entry] of this.received) {
      const view = this.host.viewSize(entry.peerId, 'camera');
      entry.view = view;
      if (!view) continue; // no video shown yet: keep the top layer, so the first frames are sharp
      const want = Math.min(layerForView(view), entry.layers - 1);
      if (want === entry.asked) continue;
      const before = entry.asked;
      entry.asked = want;
      this.host.setPreferredLayers(consumerId, want).catch((err: unknown) => {
        // Gone meanwhile (its producer closed), or signaling is down: the next change asks again.
        if (this.received.get(consumerId) === entry && entry.asked === want) entry.asked = before;
        console.warn(`sfu:setPreferredLayers ${want} for ${consumerId} refused`, err);
      });
    }
    this.publish();
  }

  private publish(): void {
    const receiving: SimulcastState['receiving'] = {};
    for (const { peerId, asked, view } of this.received.values()) {
      receiving[peerId] = { width: view?.width ?? 0, height: view?.height ?? 0, spatialLayer: asked };
    }
    const camera = [...this.sent.values()][0];
    this.host.changed({ receiving, sending: camera ? { layers: camera.layers, maxSpatialLayer: camera.max } : null });
  }
}

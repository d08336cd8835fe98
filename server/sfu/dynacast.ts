// Preferred layers and dynacast on the SFU: a receiver asks for the simulcast layer its tile needs
// (consumer.setPreferredLayers), and each simulcast producer's owner hears the highest layer any of
// its consumers needs (LayerDemand), so the layers above it stop encoding (LiveKit's dynacast).
// Consumers are seen through each room router's observer, so pipe consumers to other nodes count
// too, without the cascade knowing about this.
import type { types } from 'mediasoup';
import { ServerError } from '../../signaling/errors';
import { spatialLayersOf, type ProducerLayers } from '../../signaling/protocol';
import { LayerDemand } from './layer-demand';
import { sourceOf } from './media';

/** How long a lower need holds before the sender drops its upper layers (resizes and churn stay cheap). */
export const DOWNGRADE_DELAY_MS = 2_500;

interface Tracked {
  ownerId: string;
  demand: LayerDemand;
}

export class Dynacast {
  private readonly producers = new Map<string, Tracked>();
  private readonly routers = new WeakSet<types.Router>();

  constructor(
    /** Tells a producer's owner the highest layer to encode. */
    private readonly tell: (ownerId: string, layers: ProducerLayers) => void,
    private readonly downgradeDelayMs = DOWNGRADE_DELAY_MS,
  ) {}

  /** Watches a room's router for consumers (call before any transport exists on it; once is enough). */
  watch(router: types.Router): void {
    if (this.routers.has(router)) return;
    this.routers.add(router);
    router.observer.on('newtransport', (transport) => transport.observer.on('newconsumer', (consumer) => this.track(consumer)));
  }

  /** A new producer of one of this node's peers; only simulcast cameras are tracked (a screen has one encoding). */
  addProducer(producer: types.Producer, ownerId: string): void {
    const layers = producer.rtpParameters.encodings?.length ?? 1;
    if (producer.kind !== 'video' || layers < 2 || sourceOf(producer) === 'screen') return;
    const producerId = producer.id;
    const demand = new LayerDemand({
      topLayer: layers - 1,
      downgradeDelayMs: this.downgradeDelayMs,
      apply: (maxSpatialLayer) => this.tell(ownerId, { producerId, maxSpatialLayer }),
    });
    this.producers.set(producerId, { ownerId, demand });
    producer.observer.once('close', () => {
      demand.close();
      this.producers.delete(producerId);
    });
  }

  /** The layer a consumer should carry: BAD_REQUEST for a consumer that has only one, or a layer it lacks. */
  async setPreferredLayers(consumer: types.Consumer, spatialLayer: number): Promise<void> {
    const layers = layersOf(consumer);
    if (layers < 2) {
      throw new ServerError('BAD_REQUEST', `consumer ${consumer.id} carries one layer (audio or a screen share); nothing to choose`);
    }
    if (spatialLayer >= layers) {
      throw new ServerError('BAD_REQUEST', `consumer ${consumer.id} has spatial layers 0 to ${layers - 1}; ${spatialLayer} does not exist`);
    }
    // No temporalLayer: mediasoup then takes the highest, which with L1T1 encodings is the only one (0).
    await consumer.setPreferredLayers({ spatialLayer });
    this.producers.get(consumer.producerId)?.demand.set(consumer.id, needOf(consumer, layers));
  }

  /** The highest layer a producer's consumers need and what its owner was told (tests, diagnostics). */
  demandOf(producerId: string): { wanted: number; applied: number } | null {
    const tracked = this.producers.get(producerId);
    return tracked ? { wanted: tracked.demand.wanted, applied: tracked.demand.applied } : null;
  }

  private track(consumer: types.Consumer): void {
    const tracked = this.producers.get(consumer.producerId);
    if (!tracked) return; // audio, a screen, or another node's producer piped in (its own node decides)
    const layers = layersOf(consumer);
    const update = () => tracked.demand.set(consumer.id, consumer.closed ? null : needOf(consumer, layers));
    consumer.observer.on('pause', update);
    consumer.observer.on('resume', update);
    consumer.observer.once('close', () => tracked.demand.set(consumer.id, null));
    update();
  }
}

/**
 * What one consumer needs: a pipe to another node carries the top layer (its receivers there choose
 * for themselves); a paused one (created paused, until its browser has it) nothing; otherwise the
 * layer it prefers, which mediasoup starts at the top so a new receiver's first frames are sharp.
 */
function needOf(consumer: types.Consumer, layers: number): number | null {
  if (consumer.type === 'pipe') return layers - 1;
  if (consumer.paused) return null;
  return consumer.preferredLayers?.spatialLayer ?? layers - 1;
}

/** Spatial layers a consumer can carry (a pipe consumer carries every encoding of its producer). */
function layersOf(consumer: types.Consumer): number {
  if (consumer.type === 'pipe') return Math.max(1, consumer.rtpParameters.encodings?.length ?? 1);
  if (consumer.type !== 'simulcast' && consumer.type !== 'svc') return 1;
  return spatialLayersOf(consumer.rtpParameters.encodings?.[0]?.scalabilityMode);
}

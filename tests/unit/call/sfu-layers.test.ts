// The browser's side of preferred layers and dynacast: tile sizes coalesced into one request per
// consumer whose layer changed, nothing asked before a tile shows video, and the server's pushes
// applied to our camera producer (also when a push overtakes the producer's creation).
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { types } from 'mediasoup-client';
import { SfuLayers, type SimulcastState } from '../../../app/lib/call/sfu-layers';
import type { ViewSize } from '../../../app/lib/call/view-layers';

const fakeConsumer = (id: string, scalabilityMode = 'L2T1') =>
  ({ id, kind: 'video', rtpParameters: { encodings: [{ scalabilityMode }] }, observer: new EventEmitter() }) as unknown as types.Consumer & { observer: EventEmitter };

function fakeProducer(id: string, encodings = 2) {
  const applied: number[] = [];
  const producer = {
    id,
    kind: 'video',
    closed: false,
    rtpParameters: { encodings: Array.from({ length: encodings }, () => ({})) },
    observer: new EventEmitter(),
    setMaxSpatialLayer: async (layer: number) => void applied.push(layer),
  };
  return { producer: producer as unknown as types.Producer, applied };
}

function rig() {
  const views = new Map<string, ViewSize>();
  const asked: [string, number][] = [];
  const states: (SimulcastState | null)[] = [];
  const layers = new SfuLayers({
    viewSize: (peerId) => views.get(peerId) ?? null,
    setPreferredLayers: async (consumerId, layer) => void asked.push([consumerId, layer]),
    changed: (state) => states.push(state),
  }, 250);
  return { layers, views, asked, states, last: () => states.at(-1) };
}

describe('SfuLayers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('asks nothing until the tile shows video, then only when the layer changes, coalesced', () => {
    const r = rig();
    r.layers.consumerAdded(fakeConsumer('c1'), 'peer-1', 'camera');
    vi.advanceTimersByTime(300);
    expect(r.asked).toEqual([]); // no tile size yet: the server's default (top layer) stays
    expect(r.last()?.receiving['peer-1']).toEqual({ width: 0, height: 0, spatialLayer: 1 });

    r.views.set('peer-1', { width: 600, height: 338 });
    r.layers.viewChanged();
    vi.advanceTimersByTime(300);
    expect(r.asked).toEqual([]); // large: the top layer it already has

    // A window resize: many sizes within the coalescing time, one request.
    for (const height of [300, 200, 120, 80, 60]) {
      r.views.set('peer-1', { width: Math.round((height * 16) / 9), height });
      r.layers.viewChanged();
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(300);
    expect(r.asked).toEqual([['c1', 0]]);
    expect(r.last()?.receiving['peer-1']).toEqual({ width: 107, height: 60, spatialLayer: 0 });

    r.views.set('peer-1', { width: 0, height: 0 }); // scrolled away: still the thumbnail
    r.layers.viewChanged();
    vi.advanceTimersByTime(300);
    expect(r.asked).toEqual([['c1', 0]]);
    r.views.set('peer-1', { width: 640, height: 360 });
    r.layers.viewChanged();
    vi.advanceTimersByTime(300);
    expect(r.asked).toEqual([['c1', 0], ['c1', 1]]);
  });

  it('leaves screens and single-layer consumers alone, and forgets closed consumers', () => {
    const r = rig();
    r.views.set('peer-1', { width: 10, height: 10 });
    r.layers.consumerAdded(fakeConsumer('screen'), 'peer-1', 'screen');
    r.layers.consumerAdded(fakeConsumer('flat', 'L1T1'), 'peer-1', 'camera');
    vi.advanceTimersByTime(300);
    expect(r.asked).toEqual([]);
    const camera = fakeConsumer('cam');
    r.layers.consumerAdded(camera, 'peer-1', 'camera');
    vi.advanceTimersByTime(300);
    expect(r.asked).toEqual([['cam', 0]]);
    camera.observer.emit('close');
    expect(r.last()?.receiving).toEqual({});
  });

  it('applies the server’s highest needed layer to our camera, also when the push came first', async () => {
    vi.useRealTimers();
    const r = rig();
    r.layers.producerLayers({ producerId: 'p1', maxSpatialLayer: 0 }); // overtook the produce reply
    const { producer, applied } = fakeProducer('p1');
    r.layers.producerAdded(producer);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(applied).toEqual([0]);
    expect(r.last()?.sending).toEqual({ layers: 2, maxSpatialLayer: 0 });
    r.layers.producerLayers({ producerId: 'p1', maxSpatialLayer: 1 });
    r.layers.producerLayers({ producerId: 'p1', maxSpatialLayer: 'x' }); // malformed: ignored
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(applied).toEqual([0, 1]);
    expect(r.last()?.sending).toEqual({ layers: 2, maxSpatialLayer: 1 });
    // A screen (one encoding) is not ours to switch.
    const screen = fakeProducer('s1', 1);
    r.layers.producerAdded(screen.producer);
    r.layers.producerLayers({ producerId: 's1', maxSpatialLayer: 0 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.applied).toEqual([]);
    r.layers.clear();
    expect(r.last()).toBeNull();
  });
});

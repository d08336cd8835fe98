// Which simulcast layer a tile needs: the smallest layer that covers the tile's rendered size in
// device pixels, else the top one. Tiles crop the video to fill (object-fit: cover), so a layer
// covers a tile when it is at least as wide and as tall as the tile.
import { SIMULCAST_LAYERS } from './video-encodings';

/** A tile's rendered size in device pixels (CSS pixels × devicePixelRatio); 0×0 when hidden or offscreen. */
export interface ViewSize {
  width: number;
  height: number;
}

/** The camera size every participant asks for (local-media.ts); the SFU's layers are fractions of it. */
export const CAMERA_SIZE: ViewSize = { width: 640, height: 360 };

/** Each simulcast layer's nominal size, lowest first (layer i is the camera scaled down by its encoding). */
export const LAYER_SIZES: ViewSize[] = SIMULCAST_LAYERS.map(({ scaleResolutionDownBy }) => ({
  width: Math.round(CAMERA_SIZE.width / scaleResolutionDownBy),
  height: Math.round(CAMERA_SIZE.height / scaleResolutionDownBy),
}));

/** The spatial layer for a tile of this size: the smallest covering it, else the top one. */
export function layerForView(view: ViewSize, layers: ViewSize[] = LAYER_SIZES): number {
  const covering = layers.findIndex((l) => l.width >= view.width && l.height >= view.height);
  return covering === -1 ? layers.length - 1 : covering;
}

/** The layer a received frame height is (the nearest nominal height): what a receiver gets now. */
export function layerOfHeight(height: number, layers: ViewSize[] = LAYER_SIZES): number {
  let best = 0;
  for (let i = 1; i < layers.length; i++) {
    if (Math.abs(layers[i].height - height) < Math.abs(layers[best].height - height)) best = i;
  }
  return best;
}

// The tile size → simulcast layer mapping: the smallest layer covering the tile, else the top one.
import { describe, expect, it } from 'vitest';
import { CAMERA_SIZE, LAYER_SIZES, layerForView, layerOfHeight } from '../../../app/lib/call/view-layers';

describe('layerForView', () => {
  it('derives the layer sizes from the camera and the simulcast encodings (quarter, full)', () => {
    expect(CAMERA_SIZE).toEqual({ width: 640, height: 360 });
    expect(LAYER_SIZES).toEqual([
      { width: 160, height: 90 },
      { width: 640, height: 360 },
    ]);
  });

  it('gives hidden, offscreen and thumbnail-sized tiles the lowest layer', () => {
    expect(layerForView({ width: 0, height: 0 })).toBe(0);
    expect(layerForView({ width: 120, height: 68 })).toBe(0);
    expect(layerForView({ width: 160, height: 90 })).toBe(0);
  });

  it('gives a tile taller or wider than the thumbnail the full layer', () => {
    expect(layerForView({ width: 160, height: 91 })).toBe(1);
    // Cropped to fill (object-fit: cover): a wide, short tile still needs the wider layer.
    expect(layerForView({ width: 300, height: 60 })).toBe(1);
    expect(layerForView({ width: 600, height: 338 })).toBe(1);
  });

  it('falls back to the top layer for tiles larger than any layer', () => {
    expect(layerForView({ width: 2560, height: 1440 })).toBe(1);
    const three = [{ width: 160, height: 90 }, { width: 320, height: 180 }, { width: 640, height: 360 }];
    expect(layerForView({ width: 200, height: 110 }, three)).toBe(1);
    expect(layerForView({ width: 1000, height: 900 }, three)).toBe(2);
  });

  it('reads the layer a receiver gets from its frame height', () => {
    expect(layerOfHeight(90)).toBe(0);
    expect(layerOfHeight(88)).toBe(0);
    expect(layerOfHeight(360)).toBe(1);
    expect(layerOfHeight(270)).toBe(1);
  });
});

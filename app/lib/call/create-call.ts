// The one place that maps a room mode to its engine; everything else holds a CallEngine.
import type { RoomMode } from '../../../signaling/protocol';
import { AutoCall } from './auto-call';
import type { CallEngine, CallOptions } from './engine';
import { MeshCall } from './mesh-call';
import { SfuCall } from './sfu-call';

export function createCall(mode: RoomMode, options: CallOptions): CallEngine {
  if (mode === 'auto') return new AutoCall(options);
  return mode === 'sfu' ? new SfuCall(options) : new MeshCall(options);
}

// The one place that maps a mode to its engine; everything else holds a CallEngine.
import type { Mode } from '../../../signaling/protocol';
import type { CallEngine, CallOptions } from './engine';
import { MeshCall } from './mesh-call';
import { SfuCall } from './sfu-call';

export function createCall(mode: Mode, options: CallOptions): CallEngine {
  return mode === 'sfu' ? new SfuCall(options) : new MeshCall(options);
}

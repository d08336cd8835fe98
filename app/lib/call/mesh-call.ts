// Mesh mode: every participant connects to every other (mesh-media.ts), so our media is uploaded N-1 times.
import type { CallOptions } from './engine';
import { MeshMedia } from './mesh-media';
import { TopologyCall } from './topology-call';

export class MeshCall extends TopologyCall {
  constructor(options: CallOptions) {
    super('mesh', options, (host) => new MeshMedia(host));
  }
}

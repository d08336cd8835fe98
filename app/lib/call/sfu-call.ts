// SFU mode: every participant sends once to the server and receives everyone from it (sfu-media.ts).
import type { CallOptions } from './engine';
import { WATCHDOG_DEFAULTS, type WatchdogOptions } from './ice-watchdog';
import { SfuMedia, type DeviceFactory } from './sfu-media';
import { TopologyCall } from './topology-call';

export type { DeviceFactory } from './sfu-media';

export class SfuCall extends TopologyCall {
  constructor(options: CallOptions, makeDevice?: DeviceFactory, repairPolicy: WatchdogOptions = WATCHDOG_DEFAULTS) {
    super('sfu', options, (host) => new SfuMedia(host, makeDevice, repairPolicy));
  }
}

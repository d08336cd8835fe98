// Starts the mediasoup SFU from the parsed config; the SFU module itself never sees the whole config.
import type { Config } from './config';
import type { Logger } from './logger';
import type { MediasoupSfu } from './sfu/mediasoup-sfu';

export async function startSfu(config: Config, logger: Logger): Promise<MediasoupSfu> {
  const { createSfu } = await import('./sfu/index');
  return createSfu(config.sfu, logger);
}

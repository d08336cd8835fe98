// A real mediasoup SFU behind a real signaling server, started once per test file.
import { afterAll, beforeAll } from 'vitest';
import type { MediasoupSfu } from '../../../server/sfu/index';
import { startSfu } from '../sfu/helpers';
import { startHarness, type Harness } from './signaling-harness';

export interface SfuRig {
  sfu: MediasoupSfu;
  h: Harness;
}

/** Registers the file's setup and teardown; the rig's fields are filled in before the tests run. */
export function useSfuHarness(): SfuRig {
  const rig = {} as SfuRig;
  beforeAll(async () => {
    rig.sfu = await startSfu();
    rig.h = await startHarness({ SFU_ENABLED: '1' }, rig.sfu);
  });
  afterAll(async () => {
    await rig.h?.close();
    await rig.sfu?.close();
  });
  return rig;
}

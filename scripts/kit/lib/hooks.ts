// The app's documented QA hooks (README "QA contract") as the kit reads them. The types are the
// app's own, so a change to the sample's shape breaks the kit's build instead of its numbers.
import type { CallQaHandle, PlainSnapshot } from '../../../app/lib/hooks/use-qa-handle';

/** window.__call.getSnapshot() */
export type AppSnapshot = PlainSnapshot;
/** window.__call.getStats() */
export type AppStats = Awaited<ReturnType<CallQaHandle['getStats']>>;
/** One element of window.__call.exportSamples(); getSample() returns the latest. */
export type AppSample = ReturnType<CallQaHandle['exportSamples']>[number];
export type AppPeerSample = AppSample['peers'][number];
export type AppLayerSample = AppSample['layers'][number];
/** window.__call.getSnapshot().joinWaterfall: this join's steps to the first decoded remote frame. */
export type AppJoinWaterfall = AppSnapshot['joinWaterfall'];

export interface CallError {
  code: string;
  message: string;
}

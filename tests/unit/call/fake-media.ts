// Stand-ins for the browser's media objects, which Node does not have: a minimal MediaStream
// (SfuCall builds one per remote peer) and local tracks from fake-mediastreamtrack, the package
// mediasoup-client's own FakeHandler uses for the tracks it "receives".
import { FakeMediaStreamTrack } from 'fake-mediastreamtrack';
import { vi } from 'vitest';

/** Just what the call engines read: the tracks, by kind. */
export class FakeMediaStream {
  readonly id = `stream-${Math.random().toString(36).slice(2)}`;
  private readonly tracks: MediaStreamTrack[];

  constructor(tracks: MediaStreamTrack[] = []) {
    this.tracks = [...tracks];
  }

  getTracks(): MediaStreamTrack[] {
    return [...this.tracks];
  }

  getAudioTracks(): MediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }

  getVideoTracks(): MediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}

/** Installs FakeMediaStream as the global MediaStream; undo with vi.unstubAllGlobals(). */
export function installFakeMediaStream(): void {
  vi.stubGlobal('MediaStream', FakeMediaStream);
}

/** A local camera+microphone stream as getUserMedia would hand it over (both tracks live). */
export function fakeLocalStream(kinds: ('audio' | 'video')[] = ['audio', 'video']): MediaStream {
  const tracks = kinds.map((kind) => new FakeMediaStreamTrack({ kind, label: `fake ${kind}` }) as MediaStreamTrack);
  return new FakeMediaStream(tracks) as unknown as MediaStream;
}

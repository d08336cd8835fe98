// What the app asks getUserMedia for: the front camera where it picks the camera, the exact device
// where the person picked one.
import { describe, expect, it } from 'vitest';
import { constraints } from '../../../app/lib/media/local-media';

describe('getUserMedia constraints', () => {
  it('asks for the front camera when no camera was chosen', () => {
    const video = constraints({}, true, true).video as MediaTrackConstraints;
    expect(video.facingMode).toEqual({ ideal: 'user' });
    expect(video.deviceId).toBeUndefined();
  });

  it('asks for a chosen camera exactly, whichever way it faces', () => {
    const video = constraints({ videoId: 'cam-2' }, true, true).video as MediaTrackConstraints;
    expect(video.deviceId).toEqual({ exact: 'cam-2' });
    expect(video.facingMode).toBeUndefined();
  });

  it('leaves out what is not asked for', () => {
    expect(constraints({ audioId: 'mic-1' }, true, false)).toEqual({ audio: { deviceId: { exact: 'mic-1' } }, video: false });
  });
});

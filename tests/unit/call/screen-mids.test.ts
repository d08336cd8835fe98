// How a mesh receiver tells a peer's screen from its camera: every video m-line after the first.
import { describe, expect, it } from 'vitest';
import { isScreenMid, videoMids } from '../../../app/lib/call/screen-mids';

const sdp = (...sections: [kind: string, mid: string][]) =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', ...sections.flatMap(([kind, mid]) => [`m=${kind} 9 UDP/TLS/RTP/SAVPF 96`, 'c=IN IP4 0.0.0.0', `a=mid:${mid}`, 'a=sendrecv'])]
    .join('\r\n') + '\r\n';

describe('screen mids', () => {
  it('lists video mids in m-line order, whatever the mids are called', () => {
    expect(videoMids(sdp(['audio', '0'], ['video', '1'], ['application', '2'], ['video', '3']))).toEqual(['1', '3']);
    expect(videoMids(sdp(['audio', 'sdparta_0'], ['video', 'sdparta_1'], ['video', 'sdparta_2']))).toEqual(['sdparta_1', 'sdparta_2']);
  });

  it('the first video m-line is the camera, any later one a screen', () => {
    const offer = sdp(['audio', '0'], ['video', '1'], ['application', '2'], ['video', '3'], ['video', '4']);
    expect(isScreenMid(offer, '1')).toBe(false);
    expect(isScreenMid(offer, '3')).toBe(true);
    expect(isScreenMid(offer, '4')).toBe(true);
    expect(isScreenMid(offer, '0')).toBe(false); // audio
    expect(isScreenMid(offer, '9')).toBe(false); // unknown
  });

  it('without a description or a mid nothing is a screen', () => {
    expect(isScreenMid(undefined, '3')).toBe(false);
    expect(isScreenMid(sdp(['video', '0'], ['video', '1']), null)).toBe(false);
  });
});

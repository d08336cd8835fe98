// Telling a mesh peer's screen share from its camera without extra signaling: every link's first
// video m-line is the camera's (MeshLink adds the camera, or a receive-only slot for it, before
// anything else, and m-lines never move), so any later video m-line carries a screen. Pure.

/** The mids of a session description's video m-lines, in m-line order. */
export function videoMids(sdp: string): string[] {
  const mids: string[] = [];
  let video = false;
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) video = line.startsWith('m=video ');
    else if (video && line.startsWith('a=mid:')) mids.push(line.slice('a=mid:'.length).trim());
  }
  return mids;
}

/** True when `mid` is a video m-line of `sdp` other than the first one (the camera's). */
export function isScreenMid(sdp: string | undefined, mid: string | null): boolean {
  if (!sdp || mid === null) return false;
  const mids = videoMids(sdp);
  return mids.indexOf(mid) > 0;
}

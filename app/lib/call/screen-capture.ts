// Capturing a screen to share: getDisplayMedia with a frame rate suited to slides and code, and the
// track marked as detail content so the encoder keeps text sharp rather than motion smooth.

/** Asks the browser for a screen, window or tab (its picker); rejects when the person cancels. */
export async function captureScreen(): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getDisplayMedia) throw new Error('this browser cannot share a screen (no getDisplayMedia)');
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  for (const track of stream.getVideoTracks()) track.contentHint = 'detail';
  return stream;
}

// Opens the camera and microphone of an autojoining room page while its scripts still load: a
// small inline script in the page's HTML (run at parse time, with the request's CSP nonce) asks
// for them, and the room takes that stream once it runs instead of asking only after hydration.
import { stopStream } from './devices';
import { constraints } from './local-media';

/** Where the inline script leaves its getUserMedia promise for the room to take. */
const SLOT = '__earlyMedia';
/** A stream nobody took by then (the page never joined) is stopped, so the camera goes off. */
const UNCLAIMED_MS = 15_000;

/** The inline script's text: the same constraints as getLocalMedia's first try. */
export function earlyMediaScript(): string {
  const asked = JSON.stringify(constraints({}, true, true));
  return (
    `(function(){try{var m=navigator.mediaDevices;if(!window.isSecureContext||!m||!m.getUserMedia)return;` +
    `var p=m.getUserMedia(${asked});p.catch(function(){});window.${SLOT}=p;` +
    `setTimeout(function(){if(window.${SLOT}!==p)return;delete window.${SLOT};` +
    `p.then(function(s){s.getTracks().forEach(function(t){t.stop()})},function(){})},${UNCLAIMED_MS})}catch(e){}})();`
  );
}

/** The early getUserMedia, once (later calls get undefined); undefined when there was none. */
export function takeEarlyMedia(): Promise<MediaStream> | undefined {
  const slot = globalThis as { [SLOT]?: Promise<MediaStream> };
  const early = slot[SLOT];
  delete slot[SLOT];
  return early;
}

/** The page will not join (a bad link): give the camera back now. */
export function releaseEarlyMedia(): void {
  takeEarlyMedia()?.then(stopStream, () => undefined);
}

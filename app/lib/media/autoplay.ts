// Autoplay with sound: browsers refuse it until the person interacts with the page. Remote <video>s
// start muted when refused and register here; the first click or key press unmutes them all.
import { useSyncExternalStore } from 'react';

const blocked = new Set<HTMLMediaElement>();
const listeners = new Set<() => void>();

function changed(): void {
  for (const listener of listeners) listener();
}

function onGesture(): void {
  unlockAll();
}

function watchGestures(on: boolean): void {
  const method = on ? 'addEventListener' : 'removeEventListener';
  document[method]('pointerdown', onGesture, true);
  document[method]('keydown', onGesture, true);
}

/** Plays with sound if allowed, otherwise muted until the next user gesture. */
export function playWithSound(el: HTMLMediaElement): void {
  el.muted = false;
  el.play().catch((err: unknown) => {
    // Only NotAllowedError is the autoplay policy. A new stream replacing the old one (mesh tracks
    // arrive one by one) aborts the pending play() with AbortError: the next play() decides, and
    // treating it as a refusal raised a banner that moved the controls under the first click.
    if (!(err instanceof DOMException) || err.name !== 'NotAllowedError') return;
    el.muted = true;
    el.play().catch(() => undefined);
    if (!blocked.has(el)) {
      blocked.add(el);
      if (blocked.size === 1) watchGestures(true);
      changed();
    }
  });
}

/** Stops tracking an element (it unmounted or changed stream). */
export function forget(el: HTMLMediaElement): void {
  if (!blocked.delete(el)) return;
  if (blocked.size === 0) watchGestures(false);
  changed();
}

export function unlockAll(): void {
  for (const el of [...blocked]) {
    forget(el);
    playWithSound(el);
  }
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True while some remote media is playing muted because the browser refused sound. */
export function useSoundBlocked(): boolean {
  return useSyncExternalStore(subscribe, () => blocked.size > 0, () => false);
}

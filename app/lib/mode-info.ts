// Human words for each mode: the only mode-specific text the UI shows (badge, lobby, tooltips).
import type { Mode, RoomMode } from '../../signaling/protocol';

export interface ModeInfo {
  label: string;
  /** One line on what uploading costs you in this mode. */
  uploadCost: string;
  /** A short paragraph for tooltips. */
  explanation: string;
  /** What happens to the call while the signaling server is unreachable. */
  signalingLost: string;
}

export const MODE_INFO: Record<Mode, ModeInfo> = {
  mesh: {
    label: 'Mesh',
    uploadCost: 'Peer-to-peer: you upload your video N-1 times, once to every other person.',
    explanation:
      'Mesh: every participant connects directly to every other one. No media server is involved, ' +
      'but your camera is encoded and uploaded once per other participant, so upload grows with the room.',
    signalingLost:
      'Signaling lost: your peer-to-peer media continues; new participants cannot join until it is back. Reconnecting…',
  },
  sfu: {
    label: 'SFU',
    uploadCost: 'Via a media server: you upload your video once; the server forwards it to everyone.',
    explanation:
      'SFU: everyone sends one stream to a Selective Forwarding Unit (mediasoup), which forwards it to the ' +
      'others. Your upload stays constant however many people join; media passes through the server.',
    signalingLost:
      'Signaling lost: media keeps flowing through the SFU while its process runs; if the server itself went down, ' +
      'the call comes back when it does. Reconnecting…',
  },
};

/** What a room may be asked to run: the two modes, and auto, which moves between them. */
export const ROOM_MODE_INFO: Record<RoomMode, ModeInfo> = {
  ...MODE_INFO,
  auto: {
    label: 'Auto',
    uploadCost: 'Mesh while the room is small, the SFU once it grows: every switch is shown, with why and what it changed.',
    explanation:
      'Auto: the call starts peer to peer and moves everyone to the SFU when a participant beyond the threshold joins ' +
      '(and back when the room shrinks). The new path is connected before the old one closes, so nobody drops out.',
    signalingLost: MODE_INFO.mesh.signalingLost,
  },
};

/** The badge's words: the mode, and for an auto room in a call where its media flows now ("Auto · SFU"). */
export function modeLabel(roomMode: RoomMode, mode?: Mode): string {
  return roomMode === 'auto' && mode ? `Auto · ${MODE_INFO[mode].label}` : ROOM_MODE_INFO[roomMode].label;
}

export function otherMode(mode: Mode): Mode {
  return mode === 'mesh' ? 'sfu' : 'mesh';
}

export function roomHref(roomId: string, mode: RoomMode, name?: string, sfuAbove?: number | null): string {
  const query = new URLSearchParams({ mode });
  if (name) query.set('name', name);
  if (mode === 'auto' && sfuAbove) query.set('sfuAbove', String(sfuAbove));
  return `/room/${encodeURIComponent(roomId)}?${query}`;
}

// "What can the server see?", from the call as it runs: which servers handle which of this
// participant's traffic, and what each can read there. Mesh: the signaling server relays who joins
// and the session descriptions (with addresses), never media. SFU: every media packet passes the
// server, which holds the DTLS-SRTP keys and so reads it, unless the browsers encrypt end to end;
// then it still sees sizes, timing, the simulcast layer and the audio level header. TURN relays
// only encrypted packets.
import type { Mode } from '../../../signaling/protocol';
import type { E2eeState } from '../call/e2ee/session';

export interface ServerViewRow {
  /** Which server: the signaling server, the SFU, a TURN relay; none for media that goes peer to peer. */
  server: 'signaling' | 'sfu' | 'turn' | 'none';
  /** content: it can read the audio and video; metadata: only who, when, how much. */
  reads: 'content' | 'metadata';
  text: string;
}

export interface ServerViewInput {
  mode: Mode;
  e2ee: E2eeState | null;
  /** Our connections relayed through TURN now, and all of them. */
  relayed: number;
  connections: number;
  peers: number;
}

export function serverView({ mode, e2ee, relayed, connections, peers }: ServerViewInput): ServerViewRow[] {
  const rows: ServerViewRow[] = [
    {
      server: 'signaling',
      reads: 'metadata',
      text:
        mode === 'mesh'
          ? 'Who is in the room and when, names, mute states, and every session description and ICE candidate it relays (with your addresses). No media.'
          : 'Who is in the room and when, names, mute states, and the transport parameters it hands out. ' +
            (e2ee ? 'Public keys and wrapped media keys, which it cannot open.' : 'No media (the SFU carries it).'),
    },
  ];
  if (mode === 'sfu') {
    rows.push(
      e2ee
        ? {
            server: 'sfu',
            reads: 'metadata',
            text:
              `Every packet of your media, encrypted end to end (${e2ee.encryptedFrames.toLocaleString('en')} frames so far, media key #${e2ee.keyId}): ` +
              'it cannot see or hear you, but it still sees packet sizes and timing, which simulcast layer is sent, and your audio level (an RTP header extension it needs to pick the speaker).',
          }
        : {
            server: 'sfu',
            reads: 'content',
            text: 'Every packet of your media, decrypted: the SFU terminates DTLS-SRTP, so it could watch, listen to or record everything it forwards. Turn on end-to-end encryption to prevent that.',
          },
    );
  } else {
    rows.push({
      server: 'none',
      reads: 'metadata',
      text: `Media goes browser to browser (${peers} connection${peers === 1 ? '' : 's'}), encrypted with DTLS-SRTP keys only the two ends hold: no server can read it.`,
    });
  }
  if (relayed > 0) {
    rows.push({
      server: 'turn',
      reads: 'metadata',
      text: `${relayed} of ${connections} connections pass a TURN relay: it sees encrypted packets, their sizes, timing and both addresses, never their content.`,
    });
  }
  return rows;
}

// Plain-words conclusions from a finished check: what works, what does not, and where to look.
// Pure (no DOM), so the wording can be tested on hand-made results.
import { countByType } from './candidates';
import type { CheckState } from './check';

export type VerdictLevel = 'ok' | 'warn' | 'error';

export interface VerdictLine {
  level: VerdictLevel;
  text: string;
}

export interface Verdict {
  /** The worst level of all lines: the page's headline colour. */
  level: VerdictLevel;
  lines: VerdictLine[];
}

const ms = (v: number | null) => (v === null ? '?' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const GUIDE = 'see turn/README.md';

export function verdictOf(state: CheckState): Verdict {
  const lines: VerdictLine[] = [];
  if (state.error) {
    lines.push({ level: 'error', text: `The check could not run: ${state.error}.` });
    return { level: 'error', lines };
  }
  const { servers, gather, relay, direct } = state;
  if (!servers || !gather) return { level: 'warn', lines };
  const counts = countByType(gather.candidates);
  const relayCount = counts.relay ?? 0;

  if (!servers.turn.available) {
    lines.push({ level: 'error', text: `This server offers no TURN relay: ${servers.turn.reason ?? 'no reason given'}. Calls only work where browsers can reach each other (or the SFU) directly — ${GUIDE}.` });
  } else if (relayCount === 0) {
    lines.push({ level: 'error', text: `No relay candidate: the TURN server refused the credentials or is unreachable — ${GUIDE}.` });
  } else if (relay && relay.ok) {
    lines.push({ level: 'ok', text: `TURN works: ${relayCount} relay candidate${relayCount > 1 ? 's' : ''} gathered, and data went through the relay and back in ${ms(relay.medianRttMs)} ms median.` });
  } else if (relay) {
    lines.push({ level: 'error', text: `TURN allocated a relay, but data did not get through it (${relay.error ?? 'unknown error'}). The relay may not be allowed to reach the peer's address — ${GUIDE}.` });
  }

  if (direct?.ok) {
    const path = direct.localCandidateType ? ` (${direct.localCandidateType} ↔ ${direct.remoteCandidateType ?? '?'})` : '';
    const extra = relay?.ok && relay.medianRttMs !== null && direct.medianRttMs !== null
      ? ` The relay adds ${ms(Math.max(0, relay.medianRttMs - direct.medianRttMs))} ms per round trip here.`
      : '';
    lines.push({ level: 'ok', text: `Direct connection works${path}: ${ms(direct.medianRttMs)} ms median round trip.${extra}` });
  } else if (direct) {
    lines.push({ level: relay?.ok ? 'warn' : 'error', text: `Direct connection failed (${direct.error ?? 'unknown error'}). ${relay?.ok ? 'Calls will need the TURN relay.' : 'Neither path works from this browser.'}` });
  }

  if ((counts.srflx ?? 0) === 0 && servers.iceServers.length > 0) {
    // Only worth a warning when the direct path failed too: on one machine or a LAN without NAT
    // there is no public address to find, and a working direct path needs none.
    lines.push({
      level: direct?.ok ? 'ok' : 'warn',
      text: 'No server-reflexive (srflx) candidate: STUN found no public address distinct from the local ones (normal on one machine or without NAT).',
    });
  }
  if (gather.candidates.some((c) => c.type === 'host' && c.address.endsWith('.local'))) {
    lines.push({ level: 'ok', text: 'Host addresses are hidden behind mDNS names (.local): the browser does this until a page is given camera access.' });
  }
  if (!gather.complete) {
    lines.push({ level: 'warn', text: `Candidate gathering did not finish within ${Math.round(gather.elapsedMs / 1000)} s; a STUN/TURN server may be unreachable.` });
  }
  const order: VerdictLevel[] = ['ok', 'warn', 'error'];
  const level = lines.reduce<VerdictLevel>((worst, l) => (order.indexOf(l.level) > order.indexOf(worst) ? l.level : worst), 'ok');
  return { level, lines };
}

// One cell of the traversal matrix: a two-participant call between two lab hosts, in one mode,
// against a server with one ICE setup. Real Chromium on each host; the outcome is read from the
// app's own QA hooks: did each side decode the other, how soon, over which candidate pair, at what
// RTT, and, when it failed, what the page said.
import { BrowserSlot, QaParticipant } from '../browser/participant';
import { roomUrl, type Mode } from '../browser/room-url';
import type { AppSample } from '../hooks';
import type { Lab, LabServer } from './lab';
import type { LabHost } from './topology';

export interface PathReading {
  /** host | srflx | prflx | relay on our side and the other (the SFU's side in SFU mode). */
  local: string | null;
  remote: string | null;
  /** udp | tcp to the first hop (the TURN server's when relayed). */
  protocol: string | null;
  relayed: boolean;
  rttMs: number | null;
}

export interface SideResult {
  host: string;
  nat: string;
  /** ms from navigation to the first decoded frame from the other side; null if none came. */
  firstFrameMs: number | null;
  path: PathReading | null;
  /** Round trip of the app's own pings to the other participant over the call's path (mesh: peer to peer; SFU: through the SFU), ms. */
  pingMs: number | null;
  /** The page's error, or the kit's reason it never joined. */
  error: string | null;
  /** The page's TURN notice (data-code of `turn-problem`), when its TURN check found no relay. */
  turnProblem: string | null;
}

export interface CellResult {
  mode: Mode;
  /** Both sides decoded each other within the timeout. */
  connected: boolean;
  sides: [SideResult, SideResult];
}

/** Our candidate type, with the transport when it says something: relay/udp vs relay/tcp, ICE-TCP to the SFU. */
export function candidateText(local: string | null, relayed: boolean, protocol: string | null): string {
  return `${local ?? '?'}${protocol && (relayed || protocol === 'tcp') ? `/${protocol}` : ''}`;
}

/** The connection that carries our media: the mesh peer connection, or the SFU send transport. */
export function mediaPath(sample: AppSample | null): PathReading | null {
  const conns = sample?.connectionStats ?? [];
  const c = conns.find((x) => x.role !== 'recv' && x.localCandidateType) ?? conns.find((x) => x.localCandidateType);
  return c ? { local: c.localCandidateType, remote: c.remoteCandidateType, protocol: c.protocol, relayed: c.relayed, rttMs: c.rttMs } : null;
}

/** Launches one browser per host (inside its namespace), each with its own fake camera file. */
export async function launchOnHosts(lab: Lab, server: LabServer, hosts: readonly LabHost[], videoFiles: readonly string[]): Promise<BrowserSlot[]> {
  const slots: BrowserSlot[] = [];
  try {
    for (const [i, host] of hosts.entries()) {
      slots.push(await BrowserSlot.launch(videoFiles[i % videoFiles.length], { executablePath: lab.chromiumFor(host), args: lab.chromiumArgs(server.labUrl) }));
    }
  } catch (err) {
    await Promise.all(slots.map((s) => s.close()));
    throw err;
  }
  return slots;
}

/**
 * Runs the call and leaves it. `slots` are browsers already launched on `hosts` (same order); a
 * sample with the selected pair is awaited for a few seconds after the video arrives (the app
 * samples once a second).
 */
export async function runCell(o: {
  server: LabServer;
  hosts: readonly [LabHost, LabHost];
  slots: readonly [BrowserSlot, BrowserSlot];
  mode: Mode;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Force TURN (relay=1). */
  relay?: boolean;
  /** Once connected, wait this long before reading path and ping (lets RTT estimates settle). */
  settleMs?: number;
}): Promise<CellResult> {
  const room = `cell-${o.mode}-${o.hosts[0].name}-${o.hosts[1].name}-${Date.now().toString(36)}`;
  const people = await Promise.all(o.slots.map((slot, i) => QaParticipant.open(slot, `${o.hosts[i].name}-${o.hosts[i].nat}`)));
  try {
    const watch = { expectedPeers: 1, timeoutMs: o.timeoutMs, signal: o.signal };
    await Promise.all(people.map((p) => p.navigate(roomUrl(o.server.labUrl, room, { mode: o.mode, name: p.name, autojoin: true, relay: o.relay }), watch)));
    const decoded = await Promise.all(people.map((p) => p.decodingAll()));
    const connected = decoded.every(Boolean);
    if (connected && o.settleMs) await new Promise((r) => setTimeout(r, o.settleMs));
    const paths = await Promise.all(people.map((p) => (connected ? pathSoon(p) : p.read().then((r) => mediaPath(r?.sample ?? null)))));
    const pings = people.map((p) => Object.values(p.last?.sample?.pingRtt ?? {}).find((v): v is number => typeof v === 'number') ?? null);
    const turnProblems = await Promise.all(people.map((p) => p.page.getByTestId('turn-problem').getAttribute('data-code', { timeout: 500 }).catch(() => null)));
    const sides = people.map(
      (p, i): SideResult => ({
        host: o.hosts[i].name,
        nat: o.hosts[i].nat,
        firstFrameMs: p.firstFrameMs === null ? null : Math.round(p.firstFrameMs),
        path: paths[i],
        pingMs: pings[i] === null ? null : Math.round(pings[i]! * 10) / 10,
        error: p.joinError ? `${p.joinError.code}: ${p.joinError.message}` : p.last?.error ? `${p.last.error.code}: ${p.last.error.message}` : null,
        turnProblem: turnProblems[i],
      }),
    ) as [SideResult, SideResult];
    return { mode: o.mode, connected, sides };
  } finally {
    await Promise.all(people.map((p) => p.leave()));
  }
}

/** The media path once the app's sample has a selected pair with an RTT (at most ~5 s). */
async function pathSoon(p: QaParticipant): Promise<PathReading | null> {
  let path: PathReading | null = null;
  for (let i = 0; i < 20; i++) {
    path = mediaPath((await p.read())?.sample ?? null);
    if (path?.rttMs !== null && path?.rttMs !== undefined) return path;
    await new Promise((r) => setTimeout(r, 250));
  }
  return path;
}

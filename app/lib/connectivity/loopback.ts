// The in-page loopback test: two RTCPeerConnections in this page connected to each other (signaling
// is a direct function call), a data channel, N timestamped messages echoed back. With policy
// 'relay' every packet must cross the TURN server twice, so success proves TURN relays real data.
import { median } from '../median';

export type LoopbackPolicy = 'relay' | 'all';

export interface LoopbackResult {
  policy: LoopbackPolicy;
  ok: boolean;
  /** Median data-channel round trip (send -> echo -> receive), ms; null when nothing came back. */
  medianRttMs: number | null;
  rttsMs: number[];
  sent: number;
  received: number;
  /** The selected candidate pair of the sending side, as getStats reports it. */
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  protocol: string | null;
  /** ICE's own STUN round trip on the selected pair, ms. */
  pairRttMs: number | null;
  connectMs: number | null;
  error: string | null;
}

export interface LoopbackOptions {
  messages?: number;
  connectTimeoutMs?: number;
  echoTimeoutMs?: number;
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** The selected pair via the transport stats (spec way), falling back to a nominated succeeded pair. */
export async function selectedPair(pc: RTCPeerConnection) {
  const report = await pc.getStats();
  const all = [...report.values()] as Record<string, unknown>[];
  const transport = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  const pair =
    (transport && report.get(transport.selectedCandidatePairId as string)) ??
    all.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
  if (!pair) return null;
  const local = report.get(pair.localCandidateId as string) as Record<string, unknown> | undefined;
  const remote = report.get(pair.remoteCandidateId as string) as Record<string, unknown> | undefined;
  const rtt = typeof pair.currentRoundTripTime === 'number' ? pair.currentRoundTripTime * 1000 : null;
  return {
    localCandidateType: (local?.candidateType as string | undefined) ?? null,
    remoteCandidateType: (remote?.candidateType as string | undefined) ?? null,
    protocol: (local?.protocol as string | undefined) ?? null,
    pairRttMs: rtt,
  };
}

function opened(channel: RTCDataChannel): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve();
  return new Promise((resolve, reject) => {
    channel.onopen = () => resolve();
    channel.onclose = () => reject(new Error('data channel closed before opening'));
  });
}

export async function runLoopback(iceServers: RTCIceServer[], policy: LoopbackPolicy, opts: LoopbackOptions = {}): Promise<LoopbackResult> {
  const messages = opts.messages ?? 10;
  const result: LoopbackResult = {
    policy, ok: false, medianRttMs: null, rttsMs: [], sent: 0, received: 0,
    localCandidateType: null, remoteCandidateType: null, protocol: null, pairRttMs: null, connectMs: null, error: null,
  };
  const config: RTCConfiguration = { iceServers, iceTransportPolicy: policy };
  const caller = new RTCPeerConnection(config);
  const callee = new RTCPeerConnection(config);
  try {
    // Trickle ICE straight across: the two ends share one page, so "signaling" is a function call.
    caller.onicecandidate = (e) => void (e.candidate && callee.addIceCandidate(e.candidate).catch(() => undefined));
    callee.onicecandidate = (e) => void (e.candidate && caller.addIceCandidate(e.candidate).catch(() => undefined));
    // The callee echoes every message unchanged; the caller's timestamp inside makes the round trip.
    callee.ondatachannel = (e) => {
      const echo = e.channel;
      echo.onmessage = (m) => echo.readyState === 'open' && echo.send(m.data as string);
    };
    const channel = caller.createDataChannel('loopback', { ordered: true });
    const started = performance.now();
    await caller.setLocalDescription(await caller.createOffer());
    await callee.setRemoteDescription(caller.localDescription!);
    await callee.setLocalDescription(await callee.createAnswer());
    await caller.setRemoteDescription(callee.localDescription!);
    await withTimeout(opened(channel), opts.connectTimeoutMs ?? 10_000, 'connecting');
    result.connectMs = performance.now() - started;

    const pending = new Map<number, (t: number) => void>();
    channel.onmessage = (m) => {
      const { seq } = JSON.parse(m.data as string) as { seq: number };
      pending.get(seq)?.(performance.now());
    };
    // One message in flight at a time, so each round trip is measured without queueing behind others.
    for (let seq = 0; seq < messages; seq++) {
      const sentAt = performance.now();
      const back = new Promise<number>((resolve) => pending.set(seq, resolve));
      channel.send(JSON.stringify({ seq, sentAt }));
      result.sent++;
      try {
        const receivedAt = await withTimeout(back, opts.echoTimeoutMs ?? 2_000, `echo ${seq}`);
        result.rttsMs.push(receivedAt - sentAt);
        result.received++;
      } catch {
        // A lost echo counts against the result but does not end the test.
      }
      pending.delete(seq);
      await wait(20);
    }
    Object.assign(result, (await selectedPair(caller)) ?? {});
    // Hundredths of a millisecond: timer float noise (1.7000000001862645) is not a measurement.
    result.medianRttMs = result.rttsMs.length ? Math.round(median(result.rttsMs) * 100) / 100 : null;
    result.ok = result.received === messages;
    if (!result.ok) result.error = `${messages - result.received} of ${messages} messages did not come back`;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    caller.close();
    callee.close();
  }
  return result;
}

// Candidate parsing and counting (pure), the median, and gatherCandidates' bookkeeping.
// Mocked for gatherCandidates only, because RTCPeerConnection does not exist in Node: a scripted
// stub that replays icecandidate / icecandidateerror events after setLocalDescription and answers
// getStats with a given report. The parsing, timeout and stats enrichment are the module's own.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countByType, gatherCandidates, parseCandidateLine, toRow, type CandidateRow } from '../../../app/lib/connectivity/candidates';
import { median } from '../../../app/lib/median';

const HOST = 'candidate:842163049 1 udp 2122260223 192.168.1.20 54321 typ host generation 0 ufrag abcd network-id 1';
const SRFLX = 'candidate:1 1 udp 1686052607 203.0.113.7 40001 typ srflx raddr 192.168.1.20 rport 54321 generation 0';
const RELAY = 'candidate:2 1 udp 41885439 198.51.100.9 49152 typ relay raddr 203.0.113.7 rport 40001 generation 0';
const TCP_HOST = 'candidate:3 1 TCP 1518280447 192.168.1.20 9 typ host tcptype active generation 0';

describe('parseCandidateLine', () => {
  it.each([
    ['a host candidate', HOST, { type: 'host', protocol: 'udp', address: '192.168.1.20', port: 54321, priority: 2122260223 }],
    ['a srflx candidate', SRFLX, { type: 'srflx', protocol: 'udp', address: '203.0.113.7', port: 40001, priority: 1686052607 }],
    ['a relay candidate', RELAY, { type: 'relay', protocol: 'udp', address: '198.51.100.9', port: 49152, priority: 41885439 }],
    ['an upper-case protocol (lower-cased)', TCP_HOST, { type: 'host', protocol: 'tcp', port: 9 }],
    ['the SDP attribute form (a=candidate:)', `a=${HOST}`, { type: 'host', address: '192.168.1.20' }],
    ['no candidate: prefix', HOST.replace('candidate:', ''), { type: 'host', port: 54321 }],
    ['an mDNS host name', 'candidate:4 1 udp 2122260223 1f4712db-ea17-4bcf.local 61001 typ host', { address: '1f4712db-ea17-4bcf.local' }],
    ['a non-numeric port and priority (null, not NaN)', 'candidate:5 1 udp high 10.0.0.1 any typ host', { port: null, priority: null }],
    ['surrounding whitespace', `  ${HOST}  `, { type: 'host', port: 54321 }],
  ])('reads %s', (_, line, expected) => {
    const row = parseCandidateLine(line);
    expect(row).toMatchObject({ ...expected, raw: line });
  });

  it.each([
    ['an empty string (end-of-candidates)', ''],
    ['too few fields', 'candidate:1 1 udp 2122260223 10.0.0.1 5000 typ'],
    ['no "typ" keyword where it belongs', 'candidate:1 1 udp 2122260223 10.0.0.1 5000 type host'],
    ['garbage', 'not a candidate at all, really not'],
  ])('refuses %s', (_, line) => {
    expect(parseCandidateLine(line)).toBeNull();
  });
});

describe('toRow', () => {
  const candidate = (line: string, relayProtocol?: string | null) => ({ candidate: line, relayProtocol }) as unknown as RTCIceCandidate;

  it('keeps relayProtocol for relay candidates only, and the server URL for non-host ones', () => {
    expect(toRow(candidate(RELAY, 'tls'), 'turns:t:443')).toMatchObject({ type: 'relay', relayProtocol: 'tls', url: 'turns:t:443' });
    expect(toRow(candidate(RELAY), null)).toMatchObject({ relayProtocol: null, url: null });
    expect(toRow(candidate(SRFLX, 'udp'), 'stun:s')).toMatchObject({ type: 'srflx', relayProtocol: null, url: 'stun:s' });
    expect(toRow(candidate(HOST, 'udp'), 'stun:s')).toMatchObject({ type: 'host', relayProtocol: null, url: null });
  });

  it('returns null for a line it cannot parse', () => {
    expect(toRow(candidate(''), 'stun:s')).toBeNull();
  });
});

describe('countByType', () => {
  it('counts each type, unknown ones included', () => {
    const rows = [HOST, HOST, SRFLX, RELAY, 'candidate:9 1 udp 1 10.0.0.9 9 typ weird'].map((l) => parseCandidateLine(l) as CandidateRow);
    expect(countByType(rows)).toEqual({ host: 2, srflx: 1, relay: 1, weird: 1 });
    expect(countByType([])).toEqual({});
  });
});

describe('median', () => {
  it.each([
    [[], Number.NaN],
    [[7], 7],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, -2, 10, 0.5], 5.25],
    [[10, 9, 2], 9], // numeric order, not the default string sort
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

// ---- gatherCandidates on a scripted stub ----

type ScriptEvent =
  | { candidate: string; relayProtocol?: string; url?: string }
  | { end: true; empty?: boolean }
  | { error: { url: string; errorCode: number; errorText: string } };

interface Script {
  events: ScriptEvent[];
  stats?: Record<string, unknown>[] | 'throws';
  offerFails?: boolean;
}

const made: StubPc[] = [];
let script: Script = { events: [] };

class StubPc {
  onicecandidate: ((e: unknown) => void) | null = null;
  onicecandidateerror: ((e: unknown) => void) | null = null;
  closed = false;
  channels: string[] = [];
  constructor(readonly config: RTCConfiguration) {
    made.push(this);
  }
  createDataChannel(label: string) {
    this.channels.push(label);
    return {};
  }
  async createOffer() {
    if (script.offerFails) throw new Error('no transports');
    return { type: 'offer', sdp: 'v=0' };
  }
  async setLocalDescription() {
    // One chain, a macrotask per event: the events arrive after setLocalDescription resolves, as in
    // a browser, and strictly in script order (separate timers of 0, 1, 2 ms may fire out of order
    // on a loaded machine: Node runs a 0 ms timer as 1 ms, and each duration has its own list).
    void (async () => {
      for (const event of script.events) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if ('error' in event) this.onicecandidateerror?.(event.error);
        else if ('end' in event) this.onicecandidate?.({ candidate: event.empty ? { candidate: '' } : null });
        else this.onicecandidate?.({ candidate: { candidate: event.candidate, relayProtocol: event.relayProtocol }, url: event.url });
      }
    })();
  }
  async getStats() {
    if (script.stats === 'throws') throw new Error('closed');
    return new Map((script.stats ?? []).map((s, i) => [`s${i}`, s]));
  }
  close() {
    this.closed = true;
  }
}

describe('gatherCandidates', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    made.length = 0;
  });
  const run = async (s: Script, timeoutMs?: number) => {
    script = s;
    vi.stubGlobal('RTCPeerConnection', StubPc);
    return gatherCandidates([{ urls: 'turn:t' }], timeoutMs);
  };

  it('collects parsed rows until end-of-candidates, with no candidate pool, and closes the connection', async () => {
    const result = await run({
      events: [{ candidate: HOST }, { candidate: SRFLX, url: 'stun:s' }, { candidate: 'candidate:unparsable' }, { candidate: RELAY, relayProtocol: 'udp', url: 'turn:t' }, { end: true }],
    });
    expect(result.complete).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.candidates.map((r) => [r.type, r.url, r.relayProtocol])).toEqual([
      ['host', null, null], ['srflx', 'stun:s', null], ['relay', 'turn:t', 'udp'],
    ]);
    expect(made[0].config).toEqual({ iceServers: [{ urls: 'turn:t' }], iceCandidatePoolSize: 0 });
    expect(made[0].channels).toHaveLength(1); // a data channel is enough for an offer with a transport
    expect(made[0].closed).toBe(true);
  });

  it('treats an empty candidate string as the end too', async () => {
    const result = await run({ events: [{ candidate: HOST }, { end: true, empty: true }, { candidate: RELAY }] });
    expect(result.complete).toBe(true);
    expect(result.candidates.map((r) => r.type)).toEqual(['host']);
  });

  it('fills relayProtocol and url from local-candidate stats when the candidate lacks them (Chromium)', async () => {
    const result = await run({
      events: [{ candidate: HOST }, { candidate: SRFLX }, { candidate: RELAY }, { end: true }],
      stats: [
        { type: 'local-candidate', candidateType: 'host', address: '192.168.1.20', port: 54321, url: 'stun:never-for-host' },
        { type: 'local-candidate', candidateType: 'srflx', ip: '203.0.113.7', port: 40001, url: 'stun:s:3478' },
        { type: 'local-candidate', candidateType: 'relay', address: '198.51.100.9', port: 49152, relayProtocol: 'tcp', url: 'turn:t:3478?transport=tcp' },
        { type: 'remote-candidate', candidateType: 'relay', address: '198.51.100.9', port: 49152, relayProtocol: 'udp' },
        { type: 'local-candidate', candidateType: 'relay', address: '198.51.100.9', port: 1, relayProtocol: 'tls' },
      ],
    });
    expect(result.candidates.map((r) => [r.type, r.url, r.relayProtocol])).toEqual([
      ['host', null, null], ['srflx', 'stun:s:3478', null], ['relay', 'turn:t:3478?transport=tcp', 'tcp'],
    ]);
  });

  it('stats never overwrite what the candidate itself said', async () => {
    const result = await run({
      events: [{ candidate: RELAY, relayProtocol: 'udp', url: 'turn:first' }, { end: true }],
      stats: [{ type: 'local-candidate', candidateType: 'relay', address: '198.51.100.9', port: 49152, relayProtocol: 'tcp', url: 'turn:other' }],
    });
    expect(result.candidates[0]).toMatchObject({ relayProtocol: 'udp', url: 'turn:first' });
  });

  it('keeps the rows when getStats fails', async () => {
    const result = await run({ events: [{ candidate: RELAY }, { end: true }], stats: 'throws' });
    expect(result.candidates).toHaveLength(1);
    expect(result.complete).toBe(true);
  });

  it('stops at the timeout, not complete, with what it had', async () => {
    const result = await run({ events: [{ candidate: HOST }] }, 30);
    expect(result.complete).toBe(false);
    expect(result.candidates.map((r) => r.type)).toEqual(['host']);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(25);
    expect(made[0].closed).toBe(true);
  });

  it('reports the browser\'s words for each ICE server error, and a failed offer', async () => {
    const errors = await run({
      events: [
        { error: { url: 'turn:t:3478', errorCode: 401, errorText: 'Unauthorized' } },
        { error: { url: '', errorCode: 701, errorText: '' } },
        { end: true },
      ],
    });
    expect(errors.errors).toEqual(['turn:t:3478: 401 Unauthorized', 'ICE server: 701']);
    const failed = await run({ events: [], offerFails: true }, 5_000);
    expect(failed).toMatchObject({ complete: false, candidates: [], errors: ['createOffer failed: Error: no transports'] });
  });
});

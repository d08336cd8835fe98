// One end of a PipeTransport pair with another node (one room, one direction), and the table of live ends
// with the bytes they carried per remote node, kept after an end closes.
import type { types } from 'mediasoup';

export type LinkDirection = 'in' | 'out';
/** Why a link closed; it decides whether the other node must be told (only for 'local' and 'shutdown'). */
export type CloseReason = 'local' | 'remote' | 'dropped' | 'replaced' | 'shutdown';

export interface PipeTransportSettings {
  listenIp: string;
  announcedAddress?: string;
  enableSrtp: boolean;
}

/**
 * One SCTP stream per piped data producer, each way: as many as a browser's transport gets, far more than a
 * room's peers. Both ends of a pair must agree on SCTP (every node runs this code).
 */
const PIPE_SCTP_STREAMS = { OS: 1024, MIS: 1024 };

/**
 * RTX on, so a lost packet between nodes is retransmitted (NACK) instead of waiting for a key frame.
 * SCTP on, for the data producers (ping channels); note that SRTP covers RTP only, not SCTP.
 */
export function openPipeTransport(router: types.Router, settings: PipeTransportSettings): Promise<types.PipeTransport> {
  return router.createPipeTransport({
    listenIp: { ip: settings.listenIp, announcedIp: settings.announcedAddress },
    enableRtx: true,
    enableSrtp: settings.enableSrtp,
    enableSctp: true,
    numSctpStreams: PIPE_SCTP_STREAMS,
  });
}

export class PipeLink {
  /** 'in': the piped-in producers (same ids as on the origin). */
  readonly producers = new Map<string, types.Producer>();
  /** 'in': the newest event sequence number applied to each piped-in producer. */
  readonly seqs = new Map<string, number>();
  /** 'out': the pipe consumers of our producers, by producer id. */
  readonly consumers = new Map<string, types.Consumer>();
  /** 'in': the piped-in data producers (same ids as on the origin); their event seqs share `seqs`. */
  readonly dataProducers = new Map<string, types.DataProducer>();
  /** 'out': the pipe data consumers of our data producers, by data producer id. */
  readonly dataConsumers = new Map<string, types.DataConsumer>();
  /** The other node's transport of the pair, once known. */
  peerTransportId: string | null;
  /** 'in': set by the first pipe answer; the pair connects once. */
  connected: Promise<void> | null = null;
  closeReason: CloseReason = 'local';
  private lastBytes = { sent: 0, received: 0 };

  constructor(
    readonly direction: LinkDirection,
    readonly roomId: string,
    readonly nodeId: string,
    readonly transport: types.PipeTransport,
    peerTransportId: string | null,
  ) {
    this.peerTransportId = peerTransportId;
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  /** Media producers only (the cluster_piped_producers metric counts media). */
  get piped(): number {
    return this.direction === 'in' ? this.producers.size : this.consumers.size;
  }

  get pipedData(): number {
    return this.direction === 'in' ? this.dataProducers.size : this.dataConsumers.size;
  }

  /** Closing the transport closes its producers or consumers inside mediasoup. */
  close(reason: CloseReason): void {
    if (this.transport.closed) return;
    this.closeReason = reason;
    this.transport.close();
  }

  /** Bytes through this end so far; after close, what the last read saw. */
  async bytes(): Promise<{ sent: number; received: number }> {
    if (this.transport.closed) return this.lastBytes;
    try {
      const [stat] = await this.transport.getStats();
      if (stat) this.lastBytes = { sent: stat.bytesSent, received: stat.bytesReceived };
    } catch {
      // closed while we asked: keep the last reading
    }
    return this.lastBytes;
  }

  lastReading(): { sent: number; received: number } {
    return this.lastBytes;
  }
}

export interface CrossNodeBytes {
  nodeId: string;
  /** in: received from that node (its media, our RTCP answers' echo); out: sent to it. */
  direction: LinkDirection;
  bytes: number;
}

export interface PipedProducers {
  nodeId: string;
  /** in: its producers piped here; out: ours piped there. */
  direction: LinkDirection;
  producers: number;
}

const keyOf = (direction: LinkDirection, roomId: string, nodeId: string) => `${direction}\n${roomId}\n${nodeId}`;

export class LinkTable {
  private readonly links = new Map<string, PipeLink>();
  /** Bytes of closed links per remote node, so the totals only grow (up to each link's last read). */
  private readonly retired = new Map<string, { sent: number; received: number }>();

  constructor(private readonly onClosed: (link: PipeLink) => void) {}

  get(direction: LinkDirection, roomId: string, nodeId: string): PipeLink | undefined {
    return this.links.get(keyOf(direction, roomId, nodeId));
  }

  add(link: PipeLink): void {
    const key = keyOf(link.direction, link.roomId, link.nodeId);
    this.links.get(key)?.close('replaced');
    this.links.set(key, link);
    link.transport.observer.once('close', () => {
      if (this.links.get(key) === link) this.links.delete(key);
      const reading = link.lastReading();
      const total = this.retired.get(link.nodeId) ?? { sent: 0, received: 0 };
      this.retired.set(link.nodeId, { sent: total.sent + reading.sent, received: total.received + reading.received });
      this.onClosed(link);
    });
  }

  all(): PipeLink[] {
    return [...this.links.values()];
  }

  async crossNodeBytes(): Promise<CrossNodeBytes[]> {
    const totals = new Map<string, { sent: number; received: number }>();
    for (const [nodeId, bytes] of this.retired) totals.set(nodeId, { ...bytes });
    const live = this.all();
    const readings = await Promise.all(live.map((link) => link.bytes()));
    live.forEach((link, i) => {
      const total = totals.get(link.nodeId) ?? { sent: 0, received: 0 };
      total.sent += readings[i].sent;
      total.received += readings[i].received;
      totals.set(link.nodeId, total);
    });
    return [...totals].flatMap(([nodeId, { sent, received }]) => [
      { nodeId, direction: 'in' as const, bytes: received },
      { nodeId, direction: 'out' as const, bytes: sent },
    ]);
  }

  /** Media producers per remote node and direction. */
  pipedProducers(): PipedProducers[] {
    return this.count((link) => link.piped);
  }

  /** Data producers per remote node and direction, in the same shape (`producers` counts data producers). */
  pipedDataProducers(): PipedProducers[] {
    return this.count((link) => link.pipedData);
  }

  private count(of: (link: PipeLink) => number): PipedProducers[] {
    const counts = new Map<string, PipedProducers>();
    for (const link of this.links.values()) {
      const key = `${link.direction}\n${link.nodeId}`;
      const entry = counts.get(key) ?? { nodeId: link.nodeId, direction: link.direction, producers: 0 };
      entry.producers += of(link);
      counts.set(key, entry);
    }
    return [...counts.values()];
  }
}

// The cluster's nodes as Redis knows them: each node publishes its address and load every
// HEARTBEAT_MS under a key that expires after NODE_TTL_MS, so a node that dies disappears by itself;
// the others notice (watch) and take over what it held.
import type { RedisClientType } from 'redis';

export const HEARTBEAT_MS = 1_000;
/** A node silent this long is dead: three missed heartbeats. */
export const NODE_TTL_MS = 3_500;

export interface NodeLoad {
  /** Participants whose signaling goes through this node. */
  participants: number;
  /** Rooms whose media runs through this node's SFU (a router each). */
  rooms: number;
}

export interface NodeInfo {
  id: string;
  /** Base URL the other nodes reach its internal endpoints at. */
  url: string;
  /** Base URL browsers reach its pages and signaling at. */
  publicUrl: string;
  load: NodeLoad;
  /** When it last published, ms since the epoch. */
  at: number;
}

/**
 * The documented placement rule: a room already running goes where most of its participants are
 * (fewer streams cross between nodes); a new room goes to the node with the fewest participants,
 * then the fewest rooms, then the lowest id (so every node picks the same one).
 */
export function placeRoom(nodes: NodeInfo[], roomNodes: string[] = []): NodeInfo | null {
  const live = new Set(nodes.map((n) => n.id));
  const counts = new Map<string, number>();
  for (const id of roomNodes) if (live.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
  const busiest = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0];
  if (busiest) return nodes.find((n) => n.id === busiest[0]) ?? null;
  return [...nodes].sort((a, b) => a.load.participants - b.load.participants || a.load.rooms - b.load.rooms || a.id.localeCompare(b.id))[0] ?? null;
}

export class NodeRegistry {
  private timer: ReturnType<typeof setInterval> | null = null;
  private known = new Set<string>();
  /** What this node publishes as its load; the call server sets it once it exists. */
  measure: () => NodeLoad = () => ({ participants: 0, rooms: 0 });

  constructor(
    private readonly redis: RedisClientType,
    readonly self: { id: string; url: string; publicUrl: string },
    private readonly prefix = 'mvs:',
  ) {}

  /** Publishes now and every heartbeat; `onLost` hears each node that stops publishing (once). */
  async start(onLost: (nodeId: string) => void, onError: (err: unknown) => void): Promise<void> {
    await this.publish();
    this.known = new Set((await this.list()).map((n) => n.id));
    this.timer = setInterval(() => {
      this.beat(onLost).catch(onError);
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  private async beat(onLost: (nodeId: string) => void): Promise<void> {
    await this.publish();
    const live = new Set((await this.list()).map((n) => n.id));
    for (const id of this.known) if (!live.has(id)) onLost(id);
    this.known = live;
  }

  private async publish(): Promise<void> {
    const info: NodeInfo = { ...this.self, load: this.measure(), at: Date.now() };
    await this.redis.set(`${this.prefix}node:${this.self.id}`, JSON.stringify(info), { PX: NODE_TTL_MS });
    await this.redis.sAdd(`${this.prefix}nodes`, this.self.id);
  }

  /** The nodes alive now (those whose heartbeat has not expired). */
  async list(): Promise<NodeInfo[]> {
    const ids = await this.redis.sMembers(`${this.prefix}nodes`);
    if (ids.length === 0) return [];
    const texts = await this.redis.mGet(ids.map((id) => `${this.prefix}node:${id}`));
    const gone = ids.filter((_, i) => !texts[i]);
    if (gone.length) await this.redis.sRem(`${this.prefix}nodes`, gone);
    return texts.filter((t): t is string => !!t).map((t) => JSON.parse(t) as NodeInfo);
  }

  async urlOf(nodeId: string): Promise<string> {
    const text = await this.redis.get(`${this.prefix}node:${nodeId}`);
    if (!text) throw new Error(`node ${nodeId} is not in the cluster (no heartbeat)`);
    return (JSON.parse(text) as NodeInfo).url;
  }

  /** Only one survivor takes over a lost node: the first to claim it. */
  async claim(lostNodeId: string): Promise<boolean> {
    return (await this.redis.set(`${this.prefix}reaped:${lostNodeId}`, this.self.id, { NX: true, PX: 60_000 })) === 'OK';
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.redis.del(`${this.prefix}node:${this.self.id}`).catch(() => undefined);
  }
}

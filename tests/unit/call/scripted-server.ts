// A real Socket.IO server on 127.0.0.1:0 whose answers the test scripts: it records every request
// the call engine sends, answers each through the ack like the real server ({ok,data}|{ok,error}),
// and pushes server events on demand. Real sockets, so the engines' real socket.io-client code runs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as fake from 'mediasoup-client/fakeParameters';
import { Server, type Socket } from 'socket.io';
import type { ConsumerOptions, ErrorCode, JoinReply, MediaSource, PeerInfo, Result, ServerToClientEvents } from '../../../signaling/protocol';

// Captured before any test installs fake timers: waiting must follow real I/O.
const realSetTimeout = globalThis.setTimeout;

/** Whatever the client sent: tests read the fields they script. */
export type Payload = any;
export type Reply = Result<unknown>;
export type Handler = (payload: Payload, socket: Socket) => Reply | Promise<Reply>;

export const ok = (data: unknown = null): Reply => ({ ok: true, data });
export const refuse = (code: ErrorCode, message = `refused: ${code}`): Reply => ({ ok: false, error: { code, message } });

export class ScriptedServer {
  readonly requests: { event: string; payload: Payload }[] = [];
  /** Sockets that connected, and how many of them have gone away since. */
  readonly sockets: Socket[] = [];
  disconnects = 0;
  private handlers = new Map<string, Handler>();

  private constructor(
    private readonly io: Server,
    readonly url: string,
  ) {
    io.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('disconnect', () => this.disconnects++);
      socket.onAny(async (event: string, payload: Payload, ack?: (r: Reply) => void) => {
        this.requests.push({ event, payload });
        const handler = this.handlers.get(event);
        const reply = handler ? await handler(payload, socket) : refuse('UNKNOWN_EVENT', `unscripted ${event}`);
        ack?.(reply);
      });
    });
  }

  /** Pings far apart so tests that fake timers never see a heartbeat timeout. */
  static async start(): Promise<ScriptedServer> {
    const http = createServer();
    const io = new Server(http, { pingInterval: 600_000, pingTimeout: 600_000 });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    return new ScriptedServer(io, `http://127.0.0.1:${port}`);
  }

  /** Scripts the answer to one request event (replacing any earlier script for it). */
  handle(event: string, handler: Handler): this {
    this.handlers.set(event, handler);
    return this;
  }

  /**
   * Runs `before` ahead of the scripted answer (to hold it in flight, or push something first);
   * when `before` returns a reply, that reply is sent instead.
   */
  tap(event: string, before: (payload: Payload, socket: Socket) => void | Reply | Promise<void | Reply>): this {
    const scripted = this.handlers.get(event);
    return this.handle(event, async (payload, socket) => {
      const reply = await before(payload, socket);
      if (reply) return reply;
      return scripted ? scripted(payload, socket) : refuse('UNKNOWN_EVENT', `unscripted ${event}`);
    });
  }

  /** Payloads of every request of one event, in arrival order. */
  requested(event: string): Payload[] {
    return this.requests.filter((r) => r.event === event).map((r) => r.payload);
  }

  push<E extends keyof ServerToClientEvents>(event: E, ...payload: Parameters<ServerToClientEvents[E]>): void {
    this.io.emit(event, ...payload);
  }

  /** Drops every client as a crashing or restarting server would. */
  disconnectAll(): void {
    for (const socket of this.sockets) socket.disconnect(true);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}

/** A port nothing listens on (bound, then released). */
export async function closedPortUrl(): Promise<string> {
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Polls until the condition holds; fails the test with `what` after the timeout. */
export async function until(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
}

/** The promise's outcome, or a rejection if it has not settled in time (a hang fails fast). */
export function within<T>(promise: Promise<T>, what: string, timeoutMs = 2_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => realSetTimeout(() => reject(new Error(`${what} did not settle`)), timeoutMs)),
  ]);
}

/** A promise the test settles by hand, to hold a server answer in flight. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const peer = (id: string, media = { audio: true, video: true }): PeerInfo => ({ id, name: `name-${id}`, media });

export interface RemoteProducer {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
}

/** What the scripted SFU room holds: tests add and remove remote producers as peers would. */
export interface SfuRoom {
  selfId: string;
  producers: Map<string, RemoteProducer>;
  /** Every consumer the server created, in order. */
  consumers: ConsumerOptions[];
  add(p: RemoteProducer): void;
}

/**
 * Answers an SFU room's requests the way the real server does, with mediasoup-client's own fake
 * parameters (the router's capabilities, transports and consumers that its FakeHandler accepts).
 */
export function scriptSfuRoom(
  server: ScriptedServer,
  selfId = 'me',
  others: PeerInfo[] = [],
  join: Partial<JoinReply> = {},
): SfuRoom {
  const room: SfuRoom = {
    selfId,
    producers: new Map(),
    consumers: [],
    add: (p) => room.producers.set(p.producerId, p),
  };
  const reply: JoinReply = {
    selfId,
    resumeToken: `token-${selfId}`,
    mode: 'sfu',
    peers: [peer(selfId), ...others],
    iceServers: [],
    iceTtlSeconds: 0,
    locked: false,
    routerRtpCapabilities: fake.generateRouterRtpCapabilities(),
    ...join,
  };
  let produced = 0;
  server
    .handle('join', () => ok(reply))
    .handle('sfu:createTransport', () => ok(fake.generateTransportRemoteParameters()))
    .handle('sfu:connectTransport', () => ok())
    .handle('sfu:produce', ({ kind }) => ok({ producerId: `${selfId}-${kind}-${++produced}` }))
    .handle('sfu:produceData', () => ok({ dataProducerId: `${selfId}-data` }))
    .handle('sfu:listProducers', () => ok([...room.producers.values()]))
    .handle('sfu:listDataProducers', () => ok([]))
    .handle('sfu:consume', ({ producerId }) => {
      const p = room.producers.get(producerId);
      if (!p) return refuse('NOT_FOUND', `producer ${producerId} not found`);
      const base = fake.generateConsumerRemoteParameters({ codecMimeType: p.kind === 'audio' ? 'audio/opus' : 'video/VP8' });
      const consumer: ConsumerOptions = { id: base.id, producerId, peerId: p.peerId, kind: p.kind, source: p.source, rtpParameters: base.rtpParameters };
      room.consumers.push(consumer);
      return ok(consumer);
    })
    .handle('sfu:resumeConsumer', () => ok())
    .handle('sfu:pauseProducer', () => ok())
    .handle('sfu:resumeProducer', () => ok())
    .handle('media:state', () => ok());
  return room;
}

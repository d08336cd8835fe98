// Two cluster nodes in one process for the cascade tests (own worker, RTC ports, ClusterSfu, internal HTTP
// server each), synthetic RTP in and out through plain transports, and a redis-server child.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { types } from 'mediasoup';
import { createCascadeHandler } from '../../../server/cluster/cascade-http';
import { ClusterSfu } from '../../../server/cluster/cluster-sfu';
import type { ProducerDirectory } from '../../../server/cluster/producer-directory';
import { createSfu, type MediasoupSfu } from '../../../server/sfu/index';
import type { Room } from '../../../server/sfu/room';
import { SyntheticSender } from '../../../scripts/kit/lib/rtp/sender';
import { SinkPool, type SsrcCounter } from '../../../scripts/kit/lib/rtp/sink';
import { quietLogger } from '../sfu/helpers';

export const SECRET = 'test-cluster-secret-0123456789';
export const VP8_PT = 101;

export interface TestNode {
  id: string;
  local: MediasoupSfu;
  sfu: ClusterSfu;
  http: Server;
  url: string;
  room(roomId: string): Room;
}

export async function startNode(
  id: string,
  ports: [number, number],
  directory: ProducerDirectory,
  urls: Map<string, string>,
  enableSrtp?: boolean,
): Promise<TestNode> {
  const local = await createSfu({ numWorkers: 1, listenIp: '127.0.0.1', rtcMinPort: ports[0], rtcMaxPort: ports[1] }, quietLogger);
  if (local.unavailableReason()) throw new Error(`SFU of ${id} unavailable: ${local.unavailableReason()}`);
  const resolveNode = async (nodeId: string) => {
    const url = urls.get(nodeId);
    if (!url) throw new Error(`unknown node ${nodeId}`);
    return url;
  };
  const sfu = new ClusterSfu({
    local,
    nodeId: id,
    directory,
    cascade: { secret: SECRET, resolveNode, listenIp: '127.0.0.1', enableSrtp, timeoutMs: 3_000 },
    logger: quietLogger,
    refreshMs: 200,
  });
  const handler = createCascadeHandler({ secret: SECRET, cascade: () => sfu.cascade, logger: quietLogger });
  const http = createServer((req, res) => {
    if (!handler(req, res)) res.writeHead(404).end();
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const address = http.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  urls.set(id, url);
  return {
    id,
    local,
    sfu,
    http,
    url,
    room: (roomId) => {
      const room = local.openRoom(roomId);
      if (!room) throw new Error(`room ${roomId} is not open on ${id}`);
      return room;
    },
  };
}

export async function stopNode(node: TestNode | undefined): Promise<void> {
  if (!node) return;
  node.http.closeAllConnections();
  await new Promise<void>((resolve) => node.http.close(() => resolve()));
  await node.sfu.close();
}

export function vp8RtpParameters(ssrc: number) {
  return {
    codecs: [
      { mimeType: 'video/VP8', payloadType: VP8_PT, clockRate: 90000, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }] },
    ],
    encodings: [{ ssrc }],
    rtcp: { cname: `cascade-${ssrc}` },
  };
}

/** VP8 only, no header extensions: what the plain-RTP sinks can take. */
export function vp8Capabilities(room: Room): types.RtpCapabilities {
  return { codecs: room.router.rtpCapabilities.codecs?.filter((c) => c.mimeType === 'video/VP8'), headerExtensions: [] };
}

/**
 * Gives a peer a PlainTransport where a browser would have its WebRTC one: RTP can then flow in
 * from the synthetic sender (send) or out to a UDP sink (recv) through the SFU's own produce/consume.
 */
export async function plainTransport(node: TestNode, roomId: string, peerId: string, direction: 'send' | 'recv', sinkPort?: number): Promise<types.PlainTransport> {
  const room = node.room(roomId);
  const peer = room.peers.get(peerId);
  if (!peer) throw new Error(`peer ${peerId} is not in ${roomId} on ${node.id}`);
  const transport = await room.router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: direction === 'send' });
  if (sinkPort !== undefined) await transport.connect({ ip: '127.0.0.1', port: sinkPort });
  peer.transports.set(transport.id, { transport: transport as unknown as types.WebRtcTransport, direction });
  return transport;
}

export function startSender(ssrc: number, port: number): Promise<SyntheticSender> {
  const sender = new SyntheticSender({ ssrc, payloadType: VP8_PT, bitrateKbps: 300, payloadBytes: 1000, fps: 15, keyFrameIntervalS: 1 });
  return sender.start(port).then(() => sender);
}

export async function openSink(): Promise<SinkPool> {
  const sinks = new SinkPool();
  await sinks.open(1);
  return sinks;
}

export function countConsumer(sinks: SinkPool, rtpParameters: unknown): SsrcCounter {
  const ssrc = (rtpParameters as types.RtpParameters).encodings?.[0]?.ssrc;
  if (ssrc === undefined) throw new Error('consumer has no SSRC');
  return sinks.register(ssrc);
}

export interface RedisChild {
  url: string;
  stop(): Promise<void>;
}

/** redis-server as our own child on a free loopback port, nothing saved, its folder removed after. */
export async function startRedis(): Promise<RedisChild> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'cascade-redis-'));
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server not ready within 5 s')), 5_000);
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const server = createNetServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

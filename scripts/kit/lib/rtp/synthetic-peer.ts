// One synthetic participant of the synthetic topology benchmark, as its own Node process (so its CPU
// is its own): the parent's handle, and the messages both sides speak. The child
// (synthetic-peer-child.ts) paces RTP streams to one or more loopback ports and counts what its sink
// socket receives.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StreamSpec } from './rtp-streams';

/** One destination: a socket of its own (a mesh copy's connection, or the SFU send transport). */
export interface OutputSpec {
  port: number;
  streams: StreamSpec[];
}

export interface StreamCount {
  label: string;
  kind: StreamSpec['kind'];
  packets: number;
  bytes: number;
  frames: number;
}

/** Cumulative counters of one participant since its step started. */
export interface PeerSnapshot {
  /** Wall clock, ms (the child's Date.now()). */
  t: number;
  /** The child process's CPU (user + system), ms. */
  cpuMs: number;
  /** Per output: its streams' RTP, and the RTCP (sender reports) it sent. */
  outputs: { port: number; rtcpBytes: number; streams: StreamCount[] }[];
  /** Frames the pacer has reached on its schedule (sent or skipped), and those skipped because the process fell > 250 ms behind. */
  framesDue: number;
  framesSkipped: number;
  /** Sum of (send time − due time) over sent frames, ms, and how many frames that is. */
  lateMsSum: number;
  lateFrames: number;
  /** RTP (not RTCP) that reached the sink socket. */
  received: { packets: number; bytes: number };
  keyFrameRequests: number;
  sendErrors: number;
}

export type ToChild = { id: number; type: 'start'; outputs: OutputSpec[] } | { id: number; type: 'snapshot' | 'pause' | 'stop' };
type Request = ToChild extends infer T ? (T extends ToChild ? Omit<T, 'id'> : never) : never;
export type FromChild = { type: 'ready'; sinkPort: number } | { id: number; type: 'done'; snapshot?: PeerSnapshot } | { id: number; type: 'error'; message: string };

const CHILD = fileURLToPath(new URL('./synthetic-peer-child.ts', import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const REPLY_TIMEOUT_MS = 10_000;

export class SyntheticPeer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: FromChild) => void; reject: (e: Error) => void }>();
  private exited: Error | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly sinkPort: number,
  ) {
    child.on('message', (m: FromChild) => {
      if (m.type === 'ready') return;
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.type === 'error') p?.reject(new Error(`synthetic peer ${child.pid}: ${m.message}`));
      else p?.resolve(m);
    });
    child.on('exit', (code, sig) => {
      this.exited = new Error(`synthetic peer ${child.pid} exited (${sig ?? code})`);
      for (const p of this.pending.values()) p.reject(this.exited);
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Forks the child (the tsx loader from this project's node_modules) and waits for its sink. */
  static spawn(): Promise<SyntheticPeer> {
    const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`synthetic peer ${child.pid} not ready after ${READY_TIMEOUT_MS} ms`));
      }, READY_TIMEOUT_MS);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`synthetic peer exited before it was ready (${code})`));
      });
      child.once('message', (m: FromChild) => {
        clearTimeout(timer);
        if (m.type === 'ready') resolve(new SyntheticPeer(child, m.sinkPort));
        else reject(new Error(`synthetic peer: unexpected first message ${m.type}`));
      });
    });
  }

  private request(msg: Request): Promise<FromChild> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`synthetic peer ${this.pid}: no answer to ${msg.type} in ${REPLY_TIMEOUT_MS} ms`));
      }, REPLY_TIMEOUT_MS);
      const done = <T>(f: (v: T) => void) => (v: T) => {
        clearTimeout(timer);
        f(v);
      };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      this.child.send({ ...msg, id } as ToChild);
    });
  }

  /** Zeroes the counters and starts pacing every output's streams. */
  async start(outputs: OutputSpec[]): Promise<void> {
    await this.request({ type: 'start', outputs });
  }

  private async counters(type: 'snapshot' | 'pause'): Promise<PeerSnapshot> {
    const m = await this.request({ type });
    if (m.type !== 'done' || !m.snapshot) throw new Error(`synthetic peer ${this.pid}: no snapshot`);
    return m.snapshot;
  }

  snapshot(): Promise<PeerSnapshot> {
    return this.counters('snapshot');
  }

  /** Stops sending and returns the counters at that moment; the sink keeps counting what is in flight. */
  pause(): Promise<PeerSnapshot> {
    return this.counters('pause');
  }

  /** Closes the outputs' sockets; the sink stays for the next step. */
  async stop(): Promise<void> {
    await this.request({ type: 'stop' });
  }

  /** Ends the child (closing its IPC channel makes it exit; SIGKILL if it is still there after 2 s). */
  close(): void {
    if (this.exited || this.child.exitCode !== null) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
    timer.unref();
    this.child.once('exit', () => clearTimeout(timer));
    if (this.child.connected) this.child.disconnect();
    else this.child.kill('SIGTERM');
  }
}

// Per-host link conditions in the lab: delay and jitter (each direction), random loss (each
// direction) and a rate limit (each direction). On kernels with sch_netem, netem does it all on
// both ends of the host's cable. This project's kernel has no netem: there, iptables sends the
// host's packets through an NFQUEUE that delay-queue.py holds for the delay, iptables' statistic
// match drops the lost ones, and tbf (which exists) limits the rate.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { run, runStep } from './netns';
import type { Step } from './topology';

export interface LinkConditions {
  delayMs?: number;
  jitterMs?: number;
  lossPercent?: number;
  rateKbit?: number;
}

const KEYS = { delay: 'delayMs', jitter: 'jitterMs', loss: 'lossPercent', rate: 'rateKbit' } as const;
const FORM = 'delay=40ms,jitter=5ms,loss=1%,rate=2mbit (each optional; delay, jitter and loss apply in each direction)';

/** "delay=40ms,jitter=5ms,loss=1%,rate=2mbit" → conditions; anything else throws, naming the bad part. */
export function parseLinkConditions(text: string): LinkConditions {
  const out: LinkConditions = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(delay|jitter|loss|rate)=(\d+(?:\.\d+)?)(ms|%|kbit|mbit)?$/.exec(part);
    const unitOk = m && ({ delay: ['ms', undefined], jitter: ['ms', undefined], loss: ['%', undefined], rate: ['kbit', 'mbit', undefined] } as const)[m[1] as keyof typeof KEYS].includes(m[3] as never);
    if (!m || !unitOk) throw new RangeError(`link conditions: "${part}" is not understood; write ${FORM}`);
    const value = Number(m[2]) * (m[3] === 'mbit' ? 1000 : 1);
    out[KEYS[m[1] as keyof typeof KEYS]] = value;
  }
  const { delayMs = 0, jitterMs = 0, lossPercent = 0, rateKbit } = out;
  if (delayMs > 5000) throw new RangeError(`link conditions: delay ${delayMs} ms is over 5000 ms`);
  if (jitterMs > delayMs) throw new RangeError(`link conditions: jitter ${jitterMs} ms exceeds the delay (${delayMs} ms)`);
  if (lossPercent > 100) throw new RangeError(`link conditions: loss ${lossPercent}% is over 100%`);
  if (rateKbit !== undefined && (rateKbit < 8 || rateKbit > 10_000_000)) throw new RangeError(`link conditions: rate ${rateKbit} kbit/s is outside 8..10000000`);
  return out;
}

export function describeLink(c: LinkConditions): string {
  const parts = [
    c.delayMs ? `${c.delayMs}${c.jitterMs ? `±${c.jitterMs}` : ''} ms each way` : null,
    c.lossPercent ? `${c.lossPercent}% loss each way` : null,
    c.rateKbit ? `${c.rateKbit} kbit/s` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'no shaping';
}

/** One end of a host's cable: the namespace and interface whose egress is shaped. */
export interface LinkEnd {
  ns: string;
  iface: string;
}

const tbf = (end: LinkEnd, kbit: number): Step => ({
  ns: end.ns,
  // burst: at least one full packet, or ~10 ms worth at the rate; the queue may hold 200 ms.
  argv: ['tc', 'qdisc', 'add', 'dev', end.iface, 'root', 'tbf', 'rate', `${kbit}kbit`, 'burst', `${Math.max(1600, Math.round((kbit * 1000) / 8 / 100))}`, 'latency', '200ms'],
});

/**
 * The commands for `c` on the cable between `host` (its eth0) and `peer` (the router's LAN side or
 * the internet bridge's port). netem: on both ends' egress. Otherwise everything delay and loss need
 * runs in the host's namespace (OUTPUT and INPUT on eth0, so both directions), and `delayer` is the
 * argv of the queue holder to start there.
 */
export function linkPlan(c: LinkConditions, host: LinkEnd, peer: LinkEnd, netem: boolean, queue = 0): { steps: Step[]; delayer: string[] | null } {
  const { delayMs = 0, jitterMs = 0, lossPercent = 0, rateKbit } = c;
  if (netem) {
    const args = [
      ...(delayMs ? ['delay', `${delayMs}ms`, ...(jitterMs ? [`${jitterMs}ms`] : [])] : []),
      ...(lossPercent ? ['loss', `${lossPercent}%`] : []),
      ...(rateKbit ? ['rate', `${rateKbit}kbit`] : []),
    ];
    if (!args.length) return { steps: [], delayer: null };
    return { steps: [host, peer].map((end) => ({ ns: end.ns, argv: ['tc', 'qdisc', 'add', 'dev', end.iface, 'root', 'netem', ...args] })), delayer: null };
  }
  const steps: Step[] = [];
  const both = (rule: string[]) => {
    steps.push({ ns: host.ns, argv: ['iptables', '-w', '-A', 'OUTPUT', '-o', host.iface, ...rule] });
    steps.push({ ns: host.ns, argv: ['iptables', '-w', '-A', 'INPUT', '-i', host.iface, ...rule] });
  };
  // Loss first: a dropped packet is never queued.
  if (lossPercent) both(['-m', 'statistic', '--mode', 'random', '--probability', String(lossPercent / 100), '-j', 'DROP']);
  if (delayMs) both(['-j', 'NFQUEUE', '--queue-num', String(queue), '--queue-bypass']);
  if (rateKbit) steps.push(tbf(host, rateKbit), tbf(peer, rateKbit));
  const delayer = delayMs ? ['python3', DELAY_QUEUE, '--queue', String(queue), '--delay-ms', String(delayMs), '--jitter-ms', String(jitterMs)] : null;
  return { steps, delayer };
}

let netemKnown: boolean | null = null;
const DELAY_QUEUE = join(process.cwd(), 'scripts', 'kit', 'lib', 'lab', 'delay-queue.py');

/** Whether this kernel has sch_netem, tried once on a namespace's loopback. */
export async function netemAvailable(ns: string): Promise<boolean> {
  if (netemKnown === null) {
    netemKnown = await run(['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms']).then(
      () => true,
      () => false,
    );
    if (netemKnown) await run(['ip', 'netns', 'exec', ns, 'tc', 'qdisc', 'del', 'dev', 'lo', 'root']);
  }
  return netemKnown;
}

/** Applies the conditions; returns a stop for the queue holder (rules and qdiscs go with the namespaces). */
export async function applyLink(c: LinkConditions, host: LinkEnd, peer: LinkEnd): Promise<() => Promise<void>> {
  const { steps, delayer } = linkPlan(c, host, peer, await netemAvailable(host.ns));
  let child: ChildProcess | null = null;
  if (delayer) {
    // The holder binds the queue before any rule feeds it: --queue-bypass lets packets through
    // unheld while no program is bound, which would start the link undelayed.
    child = spawn('ip', ['netns', 'exec', host.ns, ...delayer], { stdio: ['ignore', 'pipe', 'pipe'] });
    const proc = child;
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => proc.stdout?.once('data', (d: Buffer) => resolve(d.toString().includes('ready')))),
      new Promise<boolean>((resolve) => proc.once('exit', () => resolve(false))),
      sleep(10_000).then(() => false),
    ]);
    if (!ready) {
      proc.kill('SIGKILL');
      throw new Error(`lab: the delay queue in ${host.ns} did not start: ${stderr.trim() || 'no output'}`);
    }
  }
  for (const step of steps) await runStep(step);
  return async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(2_000).then(() => child!.kill('SIGKILL'))]);
  };
}

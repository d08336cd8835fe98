// The network lab as the kit's CLIs and the E2E suite use it: open → use → close, and close always
// runs (an exit handler covers crashes; the next lab sweeps one left by SIGKILL). The host is
// snapshotted first, so close() can prove it was left as it was.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { launchFirefox } from '../browser/firefox';
import { freePortPair, startServer, type ServerHandle, type StartOptions } from '../server-process';
import { bridgePort, type Bridge } from './bridge';
import { diffHost, snapshotHost } from './host-snapshot';
import { startLabTurn, TURN_PORT, type LabTurn } from './lab-turn';
import { applyLink, type LinkConditions, type LinkEnd } from './link-conditions';
import { buildNetwork, deleteNamespaces, labUnavailable, listNamespaces, run, sweepStaleLabs } from './netns';
import { INTERNET_RANGE, labId, planLab, SERVER_IP, type LabHost, type LabPlan, type NatKind } from './topology';

export { labUnavailable };

/** Debian's Chromium binary itself (/usr/bin/chromium is a shell launcher that `ip netns exec` would wrap badly). */
const CHROMIUM_BINARY = process.env.CHROMIUM_BINARY ?? '/usr/lib/chromium/chromium';
const FIREFOX_BINARY = process.env.FIREFOX_BINARY ?? '/usr/lib/firefox-esr/firefox-esr';

/**
 * What the lab's server hands browsers for ICE: `none` (host candidates only), `stun` (the lab's
 * coturn as STUN server only: server-reflexive candidates, no relay), `turn` (STUN and TURN over UDP
 * and TCP with minted credentials), `turn-wrong-secret` (TURN whose credentials coturn refuses).
 */
export const ICE_SETUPS = ['none', 'stun', 'turn', 'turn-wrong-secret'] as const;
export type IceSetup = (typeof ICE_SETUPS)[number];

export interface LabServer extends ServerHandle {
  /** The server as the lab's participants reach it: http(s)://198.18.0.1:<port>. */
  labUrl: string;
  /** The CA that signed an HTTPS server's certificate, or null over plain http. */
  caFile: string | null;
}

export interface Lab {
  plan: LabPlan;
  hosts: LabHost[];
  /** Starts the project's server on the server host (a restart passes the old port: the bridge stays). */
  startServer(opts?: Omit<StartOptions, 'prefix' | 'tlsCaFile'> & { ice?: IceSetup; https?: boolean }): Promise<LabServer>;
  /** An executable that runs Chromium inside the host's namespace (Playwright's executablePath). */
  chromiumFor(host: LabHost): string;
  /** Chromium flags a lab page needs: the server's plain-http origin counts as secure (camera access). */
  chromiumArgs(labUrl: string): string[];
  /**
   * Firefox on the host: its WebDriver BiDi port is forwarded out of the namespace for
   * puppeteer, and the lab server's plain-http origin counts as secure (camera access).
   */
  launchFirefox(host: LabHost): Promise<FirefoxBrowser>;
  /** Shapes the cable of a participant host or of the server host (delay, jitter, loss, rate). */
  shape(target: LabHost | 'server', c: LinkConditions): Promise<void>;
  /** Unplugs the host's cable on the internet side (everything it sends or receives is lost); returns the re-plug. */
  unplug(host: LabHost): Promise<() => Promise<void>>;
  /** Runs a command inside one of the lab's namespaces. */
  exec(ns: string, argv: readonly string[]): Promise<string>;
  /** Deletes the lab (processes inside, namespaces, links, rules, bridges); returns what differs on the host ([] = untouched). */
  close(): Promise<string[]>;
}

let labsOpened = 0;

/** The server's ICE environment for a setup (the lab's coturn listens on SERVER_IP:3478). */
export function iceEnv(setup: IceSetup, secret: string): Record<string, string> {
  const at = `${SERVER_IP}:${TURN_PORT}`;
  if (setup === 'none') return { TURN_MODE: 'off' };
  if (setup === 'stun') return { TURN_MODE: 'off', STUN_URLS: `stun:${at}` };
  return {
    TURN_MODE: 'external',
    STUN_URLS: `stun:${at}`,
    TURN_URLS: `turn:${at}?transport=udp,turn:${at}?transport=tcp`,
    TURN_SECRET: setup === 'turn' ? secret : `${secret}-wrong`,
  };
}

/**
 * Builds the lab: one participant host per entry of `nats` (h1, h2, …) and the server host, with
 * coturn on it unless `turn: false`.
 */
export async function openLab(nats: readonly NatKind[], o: { turn?: boolean } = {}): Promise<Lab> {
  const why = labUnavailable();
  if (why) throw new Error(why);
  sweepStaleLabs();
  const before = snapshotHost();
  const plan = planLab(labId(process.pid, labsOpened++), nats);
  const dir = mkdtempSync(join(tmpdir(), `${plan.id}-`));
  const bridges = new Map<number, Bridge>();
  const turnSecret = randomBytes(24).toString('base64url');
  let turn: LabTurn | null = null;
  const teardown = () => {
    for (const b of bridges.values()) void b.close();
    const problems = deleteNamespaces(plan.namespaces);
    rmSync(dir, { recursive: true, force: true });
    return problems;
  };
  // A crash or an unhandled rejection still removes the namespaces (exit handlers must be sync).
  const onExit = () => teardown();
  process.once('exit', onExit);
  try {
    await buildNetwork(plan);
    if (o.turn !== false) turn = await startLabTurn(plan.server.ns, { ip: SERVER_IP, secret: turnSecret, dir, allowedPeers: INTERNET_RANGE });
  } catch (err) {
    process.off('exit', onExit);
    teardown();
    throw err;
  }
  /** A script that execs `binary` inside namespace `ns` (a browser driver's executablePath). */
  const wrapper = (name: string, ns: string, binary: string) => {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\nexec ip netns exec ${ns} ${binary} "$@"\n`);
    chmodSync(path, 0o700);
    return path;
  };
  let closed: Promise<string[]> | null = null;
  return {
    plan,
    hosts: plan.hosts,
    async startServer({ ice = 'none', https = false, ...opts } = {}) {
      if (ice !== 'none' && !turn) throw new Error(`lab: ICE setup "${ice}" needs the lab's coturn (openLab without turn: false)`);
      const port = opts.port ?? (await freePortPair());
      if (!bridges.has(port)) bridges.set(port, await bridgePort(plan.server.ns, dir, port));
      const env = {
        // Deployment-like: all interfaces, the lab address announced in the SFU's candidates.
        HOST: '0.0.0.0',
        SFU_LISTEN_IP: '0.0.0.0',
        SFU_ANNOUNCED_ADDRESS: SERVER_IP,
        ...iceEnv(ice, turnSecret),
        // As for a class on the LAN: HTTPS for the lab address, with a certificate the server makes.
        ...(https ? { PUBLIC_HOST: SERVER_IP, TLS_DIR: join(dir, 'tls') } : {}),
        ...opts.env,
      };
      const tlsCaFile = https ? join(dir, 'tls', 'ca.pem') : undefined;
      const server = await startServer({ ...opts, env, port, tlsCaFile, prefix: ['ip', 'netns', 'exec', plan.server.ns] });
      return { ...server, labUrl: `${https ? 'https' : 'http'}://${SERVER_IP}:${port}`, caFile: tlsCaFile ?? null };
    },
    chromiumFor: (host) => wrapper(`chromium-${host.name}`, host.ns, CHROMIUM_BINARY),
    async launchFirefox(host) {
      const port = await freePortPair();
      bridges.set(port, await bridgePort(host.ns, dir, port));
      const executablePath = wrapper(`firefox-${host.name}`, host.ns, FIREFOX_BINARY);
      return launchFirefox({ executablePath, debuggingPort: port, prefs: { 'dom.securecontext.allowlist': SERVER_IP } });
    },
    async shape(target, c) {
      const ends: [LinkEnd, LinkEnd] =
        target === 'server'
          ? [{ ns: plan.server.ns, iface: 'eth0' }, { ns: plan.internet, iface: plan.server.uplink }]
          : [{ ns: target.ns, iface: 'eth0' }, target.router ? { ns: target.router, iface: 'lan0' } : { ns: plan.internet, iface: target.uplink }];
      // The queue holder runs inside the host's namespace: deleting the lab kills it.
      await applyLink(c, ...ends);
    },
    // Plain http: the lab's origin counts as secure (camera access). HTTPS: accept the lab CA's
    // certificate, as a class's devices do once they install ca.pem (or click through the warning).
    chromiumArgs: (labUrl) => [labUrl.startsWith('https:') ? '--ignore-certificate-errors' : `--unsafely-treat-insecure-origin-as-secure=${labUrl}`],
    async unplug(host) {
      await run(['ip', '-n', plan.internet, 'link', 'set', host.uplink, 'down']);
      return async () => void (await run(['ip', '-n', plan.internet, 'link', 'set', host.uplink, 'up']));
    },
    exec: (ns, argv) => run(['ip', 'netns', 'exec', ns, ...argv]),
    close() {
      closed ??= (async () => {
        process.off('exit', onExit);
        await Promise.all([...bridges.values()].map((b) => b.close()));
        bridges.clear();
        await turn?.stop();
        const problems = teardown();
        const left = listNamespaces().filter((ns) => plan.namespaces.includes(ns));
        return [
          ...problems.map((p) => `teardown: ${p}`),
          ...left.map((ns) => `namespace left: ${ns}`),
          ...diffHost(before, snapshotHost()),
        ];
      })();
      return closed;
    },
  };
}

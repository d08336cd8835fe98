// The network lab for a class: participants behind the NATs you choose, each a headless Chromium on
// its own lab host, in one room on the lab's server; a live table of what NAT traversal found; and,
// with --watch, a visible Chromium on a lab host of its own for the teacher's screen.
// Run (root): npm run lab -- [--hosts symmetric,port-restricted,public] [--mode mesh] [--ice turn]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser } from '@playwright/test';
import { launchChromium } from '../lib/browser/chromium';
import { QaParticipant } from '../lib/browser/participant';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { framesByName, READ_JS, type ProbeReading } from '../lib/browser/probe';
import { checkRoomId, MODES, roomUrl, type Mode } from '../lib/browser/room-url';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { asUsage, EXIT, listOf, numberArg, oneOf, startCli, UsageError, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { candidateText, launchOnHosts } from '../lib/lab/call-cell';
import { ICE_SETUPS, labUnavailable, openLab, type IceSetup } from '../lib/lab/lab';
import { describeLink, parseLinkConditions, type LinkConditions } from '../lib/lab/link-conditions';
import { NAT_DESCRIPTIONS, NAT_KINDS, type LabHost, type NatKind } from '../lib/lab/topology';

const USAGE = `Usage: npm run lab -- [options]   (as root: it builds network namespaces)
  --hosts LIST     one participant per entry, behind that NAT: ${NAT_KINDS.join(', ')}
                   (default port-restricted,symmetric,public)
  --mode mesh|sfu  (default mesh)
  --ice SETUP      what the server hands out: none, stun (STUN only), turn (STUN + TURN),
                   turn-wrong-secret (TURN that refuses the credentials) (default turn)
  --link [WHO:]SPEC  shape cables: SPEC like delay=40ms,jitter=5ms,loss=1%,rate=2mbit (delay and
                   loss apply each way); WHO is h1, h2, … or server; without WHO, every participant.
                   Repeatable; later ones win.
  --firefox LIST   hosts whose participant is Firefox ESR instead of Chromium, e.g. h2,h3
  --room NAME      (default lab)
  --duration S     leave after S seconds (default 0: stay until Ctrl-C)
  --report-every S print the table every S seconds (default 5)
  --watch          also open a visible Chromium (needs a display) on a public lab host of its own,
                   joined as "teacher": the stats panel's room table shows every participant's path
Any browser on this machine can watch the room without joining it: the printed /watch address
(on 127.0.0.1, bridged into the lab) with the printed operator token.
Each participant is named after its host and NAT (h2-symmetric). Ctrl-C leaves, stops everything
and deletes the lab, then says whether the host's addresses, routes and firewall are as before.
Exit codes: 0 ok, 1 failed (or the host differs after teardown), 2 bad arguments, 130 interrupted.`;

const options = {
  hosts: { type: 'string', default: 'port-restricted,symmetric,public' },
  mode: { type: 'string', default: 'mesh' },
  ice: { type: 'string', default: 'turn' },
  room: { type: 'string', default: 'lab' },
  duration: { type: 'string', default: '0' },
  'report-every': { type: 'string', default: '5' },
  watch: { type: 'boolean', default: false },
  link: { type: 'string', multiple: true },
  firefox: { type: 'string', default: '' },
} as const;

/** "--link h2:delay=40ms" → who and what; who is null for every participant. */
function parseLinkArg(raw: string, hostCount: number): { who: string | null; conditions: LinkConditions } {
  const m = /^(h\d+|server):(.*)$/.exec(raw);
  const who = m ? m[1] : null;
  if (who && who !== 'server' && !(Number(who.slice(1)) >= 1 && Number(who.slice(1)) <= hostCount)) {
    throw new UsageError(`--link: no participant host ${who} (there are h1..h${hostCount})`);
  }
  return { who, conditions: asUsage('link', () => parseLinkConditions(m ? m[2] : raw)) };
}

function configure(v: CliValues<typeof options>) {
  const hosts = listOf('hosts', v.hosts, NAT_KINDS);
  if (hosts.length > 12) throw new Error(`--hosts: at most 12 participants on one machine, got ${hosts.length}`);
  return {
    hosts,
    mode: oneOf('mode', v.mode, MODES),
    ice: oneOf('ice', v.ice, ICE_SETUPS),
    room: asUsage('room', () => checkRoomId(v.room)),
    durationS: numberArg('duration', v.duration, 0, 86_400),
    everyS: numberArg('report-every', v['report-every'], 1, 600),
    watch: v.watch === true,
    links: (v.link ?? []).map((raw: string) => parseLinkArg(raw, hosts.length)),
    firefox: new Set(
      v.firefox.split(',').map((h) => h.trim()).filter(Boolean).map((h) => {
        if (!/^h\d+$/.test(h) || Number(h.slice(1)) < 1 || Number(h.slice(1)) > hosts.length) throw new UsageError(`--firefox: no participant host ${h} (there are h1..h${hosts.length})`);
        return h;
      }),
    ),
  };
}
type Config = ReturnType<typeof configure>;

/** A participant the CLI watches: a Chromium page (the kit's QaParticipant) or a Firefox page. */
interface Seat {
  name: string;
  read(): Promise<Omit<ProbeReading, 't'> | null>;
  /** The page's own TURN check, as the participant sees it (README "QA contract": turn-problem). */
  turnProblem(): Promise<string | null>;
  close(): Promise<void>;
}

function chromiumSeat(p: QaParticipant): Seat {
  return {
    name: p.name,
    read: async () => (await p.read()) ?? p.last,
    turnProblem: () => p.page.getByTestId('turn-problem').getAttribute('data-code', { timeout: 200 }).catch(() => null),
    close: async () => {
      await p.leave();
      await p.slot.close();
    },
  };
}

async function firefoxSeat(browser: FirefoxBrowser, name: string, url: string): Promise<Seat> {
  const page = await browser.newPage();
  await page.goto(url);
  return {
    name,
    read: () => page.evaluate(READ_JS).catch(() => null) as Promise<Omit<ProbeReading, 't'> | null>,
    turnProblem: () => page.$eval('[data-testid="turn-problem"]', (e) => e.getAttribute('data-code')).catch(() => null),
    close: async () => {
      await page.click('[data-testid="leave-button"]').catch(() => undefined);
      await browser.close().catch(() => undefined);
    },
  };
}

/** One line per participant: its call's status and, per connection, the candidate pair and RTT. */
async function table(people: Seat[]): Promise<string> {
  const rows = await Promise.all(
    people.map(async (p) => {
      const r = await p.read();
      const names = new Map(r?.roster.map((peer) => [peer.id, peer.name.split('-')[0]]) ?? []);
      const paths = (r?.sample?.connectionStats ?? []).map((c) => {
        const to = c.role === 'peer' ? (names.get(c.peerId ?? '') ?? '?') : `SFU ${c.role}`;
        const ours = candidateText(c.localCandidateType, c.relayed, c.protocol);
        return `${to}: ${ours}↔${c.remoteCandidateType ?? '?'} ${c.rttMs ?? '—'} ms`;
      });
      const frames = r ? Object.entries(framesByName(r)).map(([name, n]) => `${name.split('-')[0]} ${n}`).join(', ') : '';
      const turn = await p.turnProblem();
      return `${p.name.padEnd(28)} ${(r?.error?.code ?? r?.status ?? '?').padEnd(8)} ${paths.join('; ') || '—'}\n${''.padEnd(37)} frames decoded: ${frames || '—'}${turn ? `; page says ${turn}` : ''}`;
    }),
  );
  return [`${'participant'.padEnd(28)} ${'status'.padEnd(8)} connections (ours↔theirs, RTT)`, ...rows].join('\n');
}

async function run(cfg: Config, { signal, log, error }: CliContext): Promise<number> {
  const why = labUnavailable();
  if (why) {
    error(`lab: ${why}`);
    return EXIT.failed;
  }
  if (cfg.watch && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    error('lab: --watch needs a display (DISPLAY or WAYLAND_DISPLAY); without one, read the table printed here');
    return EXIT.usage;
  }
  const nats: NatKind[] = cfg.watch ? [...cfg.hosts, 'public'] : cfg.hosts;
  const videos = mkdtempSync(join(tmpdir(), 'lab-'));
  const lab = await openLab(nats);
  let watcher: Browser | null = null;
  const people: Seat[] = [];
  let code: number = EXIT.ok;
  try {
    const operatorToken = randomBytes(18).toString('base64url');
    const server = await lab.startServer({ ice: cfg.ice as IceSetup, env: { OPERATOR_TOKEN: operatorToken } });
    log(`lab ${lab.plan.id}: server ${server.labUrl}, ICE setup "${cfg.ice}", ${cfg.mode} room "${cfg.room}"`);
    log(`watch it from this machine's own browser: ${server.url}/watch?room=${cfg.room}  (operator token ${operatorToken})`);
    const hosts = lab.hosts.slice(0, cfg.hosts.length);
    const shaping = new Map<string, LinkConditions>();
    for (const { who, conditions } of cfg.links) for (const name of who ? [who] : hosts.map((h) => h.name)) shaping.set(name, conditions);
    for (const [name, c] of shaping) await lab.shape(name === 'server' ? 'server' : hosts.find((h) => h.name === name)!, c);
    if (shaping.has('server')) log(`  server's cable: ${describeLink(shaping.get('server')!)}`);
    for (const h of hosts) {
      const cable = shaping.has(h.name) ? `; cable: ${describeLink(shaping.get(h.name)!)}` : '';
      log(`  ${h.name}  ${h.nat.padEnd(15)} ${h.ip.padEnd(12)} → internet as ${h.publicIp}  (${NAT_DESCRIPTIONS[h.nat]}${cable})`);
    }
    const nameOf = (h: LabHost) => `${h.name}-${h.nat}${cfg.firefox.has(h.name) ? '-firefox' : ''}`;
    const urlOf = (name: string) => roomUrl(server.labUrl, cfg.room, { mode: cfg.mode as Mode, name, autojoin: true });
    const chromiumHosts = hosts.filter((h) => !cfg.firefox.has(h.name));
    const slots = await launchOnHosts(lab, server, chromiumHosts, writeParticipantVideos(videos, chromiumHosts.length || 1));
    const chromiumPeople = await Promise.all(slots.map((slot, i) => QaParticipant.open(slot, nameOf(chromiumHosts[i]))));
    people.push(...chromiumPeople.map(chromiumSeat));
    for (const h of hosts.filter((x) => cfg.firefox.has(x.name))) people.push(await firefoxSeat(await lab.launchFirefox(h), nameOf(h), urlOf(nameOf(h))));
    const watch = { expectedPeers: hosts.length - 1, timeoutMs: 60_000, signal };
    await Promise.all(chromiumPeople.map((p) => p.navigate(urlOf(p.name), watch)));
    for (const p of chromiumPeople) {
      const j = await p.joined();
      if (!j.ok) error(`lab: ${p.name} did not join: ${j.error.code}: ${j.error.message}`);
    }
    if (cfg.watch) {
      const host = lab.hosts.at(-1)!;
      watcher = await launchChromium({ executablePath: lab.chromiumFor(host), args: lab.chromiumArgs(server.labUrl), headless: false });
      const page = await (await watcher.newContext({ permissions: ['camera', 'microphone'], viewport: null })).newPage();
      await page.goto(roomUrl(server.labUrl, cfg.room, { mode: cfg.mode as Mode, name: 'teacher', autojoin: true }));
      log(`  ${host.name}  public          ${host.ip.padEnd(12)} the visible "teacher" window: press Stats for the room table`);
    }
    const started = Date.now();
    while (!signal.aborted && (cfg.durationS === 0 || Date.now() - started < cfg.durationS * 1000)) {
      log(`\n${new Date().toISOString().slice(11, 19)}\n${await table(people)}`);
      await sleep(cfg.everyS * 1000, undefined, { signal }).catch(() => undefined);
    }
    await server.stop();
  } finally {
    await Promise.all(people.map((p) => p.close()));
    await watcher?.close().catch(() => undefined);
    const left = await lab.close();
    rmSync(videos, { recursive: true, force: true });
    if (left.length) {
      error(`lab: the host differs after teardown:\n  ${left.join('\n  ')}`);
      code = EXIT.failed;
    } else {
      log('lab deleted; the host’s addresses, routes and firewall rules are as before.');
    }
  }
  return code;
}

const spec: CliSpec<typeof options, Config> = { name: 'lab', usage: USAGE, options, configure, run };
startCli(spec);

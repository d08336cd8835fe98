// The network lab in the E2E suite: a lab, its server, and one real Chromium per lab host (each
// browser runs inside its host's namespace, so its media crosses the lab's links and NATs).
import type { Browser } from '@playwright/test';
import { test } from '@playwright/test';
import { launchChromium } from '../../scripts/kit/lib/browser/chromium';
import { labUnavailable, openLab, type Lab, type LabServer } from '../../scripts/kit/lib/lab/lab';
import type { LabHost, NatKind } from '../../scripts/kit/lib/lab/topology';
import { closeAll, openParticipant, waitForStatus, type Mode, type Participant } from './call-fixtures';

export interface LabRig {
  lab: Lab;
  server: LabServer;
  browsers: Browser[];
  /** Joins one participant per host (named after it: h1, h2, …), in host order. */
  join(room: string, mode: Mode, extra?: string): Promise<Participant[]>;
  /** Leaves, closes browsers, stops the server, deletes the lab; returns the host's diff ([] = untouched). */
  close(): Promise<string[]>;
}

/** Skips the calling test where no lab can be built (not root); CI runs as root, so there it runs. */
export function requireLab(): void {
  const why = labUnavailable();
  test.skip(why !== null, why ?? '');
}

export async function openLabRig(nats: readonly NatKind[], serverOptions: Parameters<Lab['startServer']>[0] = {}): Promise<LabRig> {
  const lab = await openLab(nats);
  const browsers: Browser[] = [];
  const people: Participant[] = [];
  let server: LabServer | null = null;
  const close = async () => {
    await closeAll(people);
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    await server?.stop();
    return lab.close();
  };
  try {
    server = await lab.startServer(serverOptions);
    const s = server;
    for (const host of lab.hosts) browsers.push(await launchChromium({ executablePath: lab.chromiumFor(host), args: lab.chromiumArgs(s.labUrl) }));
    const join = async (room: string, mode: Mode, extra = '') => {
      const joined: Participant[] = [];
      for (const [i, host] of lab.hosts.entries()) {
        const p = await openParticipant(browsers[i], room, mode, host.name, extra, s.labUrl);
        people.push(p);
        joined.push(p);
        await waitForStatus(p, 'joined');
      }
      return joined;
    };
    return { lab, server: s, browsers, join, close };
  } catch (err) {
    await close();
    throw err;
  }
}


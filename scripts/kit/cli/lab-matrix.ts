// The traversal matrix: every pair of NAT kinds, called in mesh with STUN only, in mesh with TURN,
// and through the SFU, in the network lab with real Chromium, the real server and the lab's coturn
// (hardened production config). Writes Markdown and JSON, each cell beside what the physics predicts.
// Run (root): npm run lab:matrix -- [--nats a,b] [--columns mesh-stun,mesh-turn,sfu-stun] [--timeout S]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeParticipantVideos } from '../lib/browser/y4m';
import { EXIT, listOf, numberArg, startCli, type CliContext, type CliSpec, type CliValues } from '../lib/cli';
import { launchOnHosts, runCell } from '../lib/lab/call-cell';
import { labUnavailable, openLab } from '../lib/lab/lab';
import { cellText, COLUMN_IDS, COLUMNS, judge, matrixMarkdown, natPairs, type MatrixCell } from '../lib/lab/matrix';
import { NAT_KINDS, type LabHost, type NatKind } from '../lib/lab/topology';

const USAGE = `Usage: npm run lab:matrix -- [options]   (as root: it builds network namespaces)
  --nats LIST      NAT kinds to pair, of ${NAT_KINDS.join(', ')} (default: all)
  --columns LIST   of ${COLUMN_IDS.join(', ')} (default: all)
  --timeout S      how long a call may take to show video both ways before it counts as no path (default 25)
  --out-dir DIR    matrix.md and matrix.json (default test-results/lab)
Builds the lab (two hosts per NAT kind, the server and coturn on a public host), then one
two-participant call per NAT pair and column. Exit codes: 0 done (whatever the cells say), 1 failed,
2 bad arguments, 130 interrupted.`;

const options = {
  nats: { type: 'string', default: NAT_KINDS.join(',') },
  columns: { type: 'string', default: COLUMN_IDS.join(',') },
  timeout: { type: 'string', default: '25' },
  'out-dir': { type: 'string', default: 'test-results/lab' },
} as const;

function configure(v: CliValues<typeof options>) {
  return {
    nats: listOf('nats', v.nats, NAT_KINDS),
    columns: listOf('columns', v.columns, COLUMN_IDS),
    timeoutS: numberArg('timeout', v.timeout, 5, 300),
    outDir: resolve(v['out-dir']),
  };
}
type Config = ReturnType<typeof configure>;

async function run(cfg: Config, { signal, log, error }: CliContext): Promise<number> {
  const why = labUnavailable();
  if (why) {
    error(`lab:matrix: ${why}`);
    return EXIT.failed;
  }
  const videos = mkdtempSync(join(tmpdir(), 'lab-matrix-'));
  const files = writeParticipantVideos(videos, 2);
  // Two hosts per kind, so a pair of the same kind has two different routers.
  const lab = await openLab(cfg.nats.flatMap((k) => [k, k]));
  const hostsOf = (k: NatKind): [LabHost, LabHost] => {
    const i = cfg.nats.indexOf(k) * 2;
    return [lab.hosts[i], lab.hosts[i + 1]];
  };
  const cells: MatrixCell[] = [];
  const started = new Date();
  try {
    for (const column of cfg.columns) {
      if (signal.aborted) break;
      const { mode, ice, title } = COLUMNS[column];
      const server = await lab.startServer({ ice });
      try {
        log(`${title}:`);
        for (const [a, b] of natPairs(cfg.nats)) {
          if (signal.aborted) break;
          const hosts: [LabHost, LabHost] = [hostsOf(a)[0], hostsOf(b)[1]];
          const slots = await launchOnHosts(lab, server, hosts, files);
          try {
            const result = await runCell({ server, hosts, slots: [slots[0], slots[1]], mode, timeoutMs: cfg.timeoutS * 1000, signal });
            const cell = judge(column, [a, b], result);
            cells.push(cell);
            log(`  ${a} ↔ ${b}: ${cellText(cell)}`);
          } finally {
            await Promise.all(slots.map((s) => s.close()));
          }
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    const left = await lab.close();
    if (left.length) error(`lab: the host differs after teardown:\n  ${left.join('\n  ')}`);
    rmSync(videos, { recursive: true, force: true });
  }
  const markdown = matrixMarkdown(cells, cfg.columns);
  mkdirSync(cfg.outDir, { recursive: true });
  writeFileSync(join(cfg.outDir, 'matrix.md'), markdown);
  writeFileSync(
    join(cfg.outDir, 'matrix.json'),
    `${JSON.stringify({ benchmark: 'lab-matrix', schemaVersion: 1, startedAt: started.toISOString(), finishedAt: new Date().toISOString(), interrupted: signal.aborted, config: { nats: cfg.nats, columns: cfg.columns, timeoutS: cfg.timeoutS }, cells }, null, 2)}\n`,
  );
  log(`\n${markdown}\nMarkdown: ${join(cfg.outDir, 'matrix.md')}\nJSON: ${join(cfg.outDir, 'matrix.json')}`);
  return EXIT.ok;
}

const spec: CliSpec<typeof options, Config> = { name: 'lab:matrix', usage: USAGE, options, configure, run };
startCli(spec);

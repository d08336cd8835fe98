// The traversal matrix as data (pure): which calls to make, what the physics of NATs predicts for
// each, and the Markdown table that puts measurement and prediction side by side.
import { candidateText, type CellResult, type PathReading } from './call-cell';
import type { IceSetup } from './lab';
import type { NatKind } from './topology';

/** A column of the matrix: a mode and the ICE servers its participants get. */
export const COLUMNS = {
  'mesh-stun': { mode: 'mesh', ice: 'stun', title: 'mesh, STUN only' },
  'mesh-turn': { mode: 'mesh', ice: 'turn', title: 'mesh, STUN + TURN' },
  'sfu-stun': { mode: 'sfu', ice: 'stun', title: 'SFU, STUN only' },
} as const satisfies Record<string, { mode: 'mesh' | 'sfu'; ice: IceSetup; title: string }>;
export type ColumnId = keyof typeof COLUMNS;
export const COLUMN_IDS = Object.keys(COLUMNS) as ColumnId[];

/** Every unordered pair of kinds, each once (X↔X included), in the order given. */
export function natPairs(kinds: readonly NatKind[]): [NatKind, NatKind][] {
  return kinds.flatMap((a, i) => kinds.slice(i).map((b): [NatKind, NatKind] => [a, b]));
}

/**
 * Whether two peers find a direct UDP path with STUN alone. Hole punching works when at least one
 * side's mapping is predictable (not symmetric) and the other side's filter opens for it: a
 * symmetric NAT's new port per destination defeats any peer that filters by port (port-restricted,
 * symmetric), while a public host or a full cone accepts whatever port arrives. No UDP at all
 * (udp-blocked) leaves only TCP, and browsers offer no TCP candidate a peer can connect to.
 */
export function directPossible(a: NatKind, b: NatKind): boolean {
  if (a === 'udp-blocked' || b === 'udp-blocked') return false;
  const open = (k: NatKind) => k === 'public' || k === 'full-cone';
  if (open(a) || open(b)) return true;
  return a !== 'symmetric' && b !== 'symmetric';
}

export interface Expectation {
  connects: boolean;
  /** Relayed through TURN (mesh with TURN where no direct path exists). */
  relayed: boolean;
  why: string;
}

/** What the physics predicts for one cell. */
export function expectCell(column: ColumnId, a: NatKind, b: NatKind): Expectation {
  const direct = directPossible(a, b);
  if (column === 'sfu-stun') {
    return { connects: true, relayed: false, why: 'the SFU has a public address: each side only dials out to it (UDP, or ICE-TCP when UDP is blocked)' };
  }
  if (column === 'mesh-stun') {
    return direct
      ? { connects: true, relayed: false, why: 'hole punching: at least one side is reachable on the port the other sees' }
      : { connects: false, relayed: false, why: a === 'udp-blocked' || b === 'udp-blocked' ? 'no UDP, and no TCP candidate a peer can dial' : 'a symmetric mapping meets a port-filtering NAT' };
  }
  return direct
    ? { connects: true, relayed: false, why: 'a direct path exists and ICE prefers it' }
    : { connects: true, relayed: true, why: a === 'udp-blocked' || b === 'udp-blocked' ? 'TURN over TCP is the way out' : 'only a relay reaches both' };
}

export interface MatrixCell {
  column: ColumnId;
  nats: [NatKind, NatKind];
  expected: Expectation;
  result: CellResult;
  /** The measurement agrees with the prediction (connected, and relayed or not). */
  asExpected: boolean;
}

export function judge(column: ColumnId, nats: [NatKind, NatKind], result: CellResult): MatrixCell {
  const expected = expectCell(column, nats[0], nats[1]);
  const relayed = result.sides.some((s) => s.path?.relayed);
  const asExpected = result.connected === expected.connects && (!result.connected || relayed === expected.relayed);
  return { column, nats, expected, result, asExpected };
}

const pathText = (p: PathReading | null) => (p ? candidateText(p.local, p.relayed, p.protocol) : '?');

/** One cell as Markdown: "✓ srflx↔srflx · 12 ms · 2.1 s" or "✗ no path"; "(unexpected)" marks a surprise. */
export function cellText(c: MatrixCell): string {
  const [x, y] = c.result.sides;
  const firstFrameS = Math.max(x.firstFrameMs ?? 0, y.firstFrameMs ?? 0) / 1000;
  const why = [x, y].map((s) => s.turnProblem ?? s.error).find((w) => w);
  const text = c.result.connected
    ? `✓ ${pathText(x.path)}↔${pathText(y.path)} · ${x.path?.rttMs ?? '?'} ms · ${firstFrameS.toFixed(1)} s`
    : `✗ no path${why ? ` (${why})` : ''}`;
  return c.asExpected ? text : `${text} **(unexpected)**`;
}

/** The table: a row per NAT pair, a column per mode; cells show the local candidate types on each side, the pair's RTT and the time to first frame. */
export function matrixMarkdown(cells: readonly MatrixCell[], columns: readonly ColumnId[]): string {
  const rows = new Map<string, Map<ColumnId, MatrixCell>>();
  for (const c of cells) {
    const key = `${c.nats[0]} ↔ ${c.nats[1]}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)!.set(c.column, c);
  }
  const lines = [
    `| NATs | ${columns.map((id) => COLUMNS[id].title).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...[...rows].map(([key, byColumn]) => `| ${key} | ${columns.map((id) => (byColumn.has(id) ? cellText(byColumn.get(id)!) : '—')).join(' | ')} |`),
  ];
  const surprises = cells.filter((c) => !c.asExpected);
  lines.push('', `${cells.length - surprises.length}/${cells.length} cells as the physics predicts.`);
  for (const s of surprises) lines.push(`- ${COLUMNS[s.column].title}, ${s.nats.join(' ↔ ')}: expected ${s.expected.connects ? (s.expected.relayed ? 'a relayed path' : 'a direct path') : 'no path'} (${s.expected.why}).`);
  return `${lines.join('\n')}\n`;
}

import { describe, expect, it } from 'vitest';
import type { CellResult, SideResult } from '../../../../../scripts/kit/lib/lab/call-cell';
import { cellText, directPossible, expectCell, judge, matrixMarkdown, natPairs } from '../../../../../scripts/kit/lib/lab/matrix';
import { NAT_KINDS, type NatKind } from '../../../../../scripts/kit/lib/lab/topology';

const side = (nat: NatKind, path: SideResult['path'], extra: Partial<SideResult> = {}): SideResult => ({ host: 'h', nat, firstFrameMs: path ? 2100 : null, path, pingMs: null, error: null, turnProblem: null, ...extra });
const direct = (local: string) => ({ local, remote: 'srflx', protocol: 'udp', relayed: false, rttMs: 12 });
const relay = { local: 'relay', remote: 'prflx', protocol: 'tcp', relayed: true, rttMs: 30 };

describe('traversal matrix', () => {
  it('pairs every kind with itself and every later one, once', () => {
    const pairs = natPairs(NAT_KINDS);
    expect(pairs).toHaveLength(15);
    expect(pairs[0]).toEqual(['public', 'public']);
    expect(pairs).toContainEqual(['symmetric', 'udp-blocked']);
    expect(pairs).not.toContainEqual(['udp-blocked', 'symmetric']);
  });

  it('predicts hole punching from the NAT physics', () => {
    expect(directPossible('port-restricted', 'port-restricted')).toBe(true);
    expect(directPossible('symmetric', 'public')).toBe(true);
    expect(directPossible('symmetric', 'full-cone')).toBe(true);
    expect(directPossible('symmetric', 'port-restricted')).toBe(false);
    expect(directPossible('symmetric', 'symmetric')).toBe(false);
    expect(directPossible('udp-blocked', 'public')).toBe(false);
  });

  it('expects TURN only where no direct path exists, and the SFU to need none', () => {
    expect(expectCell('mesh-turn', 'symmetric', 'symmetric')).toMatchObject({ connects: true, relayed: true });
    expect(expectCell('mesh-turn', 'port-restricted', 'port-restricted')).toMatchObject({ connects: true, relayed: false });
    expect(expectCell('mesh-stun', 'symmetric', 'symmetric')).toMatchObject({ connects: false });
    expect(expectCell('sfu-stun', 'udp-blocked', 'symmetric')).toMatchObject({ connects: true, relayed: false });
  });

  it('judges a cell against the prediction: connected or not, and relayed or not', () => {
    const ok: CellResult = { mode: 'mesh', connected: true, sides: [side('symmetric', relay), side('symmetric', direct('prflx'))] };
    expect(judge('mesh-turn', ['symmetric', 'symmetric'], ok).asExpected).toBe(true);
    // Connected directly where the physics says no direct path exists: a surprise, flagged.
    const surprise: CellResult = { mode: 'mesh', connected: true, sides: [side('symmetric', direct('srflx')), side('symmetric', direct('srflx'))] };
    const cell = judge('mesh-turn', ['symmetric', 'symmetric'], surprise);
    expect(cell.asExpected).toBe(false);
    expect(cellText(cell)).toBe('✓ srflx↔srflx · 12 ms · 2.1 s **(unexpected)**');
  });

  it('writes the table with the reason a call failed, and lists surprises', () => {
    const failed: CellResult = { mode: 'mesh', connected: false, sides: [side('symmetric', null, { turnProblem: 'TURN_AUTH_FAILED' }), side('symmetric', null)] };
    const relayed: CellResult = { mode: 'mesh', connected: true, sides: [side('udp-blocked', relay), side('public', direct('host'))] };
    const md = matrixMarkdown(
      [judge('mesh-stun', ['symmetric', 'symmetric'], failed), judge('mesh-turn', ['symmetric', 'symmetric'], failed), judge('mesh-turn', ['udp-blocked', 'public'], relayed)],
      ['mesh-stun', 'mesh-turn'],
    );
    expect(md).toContain('| NATs | mesh, STUN only | mesh, STUN + TURN |');
    expect(md).toContain('| symmetric ↔ symmetric | ✗ no path (TURN_AUTH_FAILED) | ✗ no path (TURN_AUTH_FAILED) **(unexpected)** |');
    expect(md).toContain('| udp-blocked ↔ public | — | ✓ relay/tcp↔host · 30 ms · 2.1 s |');
    expect(md).toContain('2/3 cells as the physics predicts.');
    expect(md).toContain('- mesh, STUN + TURN, symmetric ↔ symmetric: expected a relayed path (only a relay reaches both).');
  });
});

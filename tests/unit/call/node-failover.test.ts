// Which node a browser reconnects to in a cluster: its own for the first tries, then round the others.
import { describe, expect, it } from 'vitest';
import { reconnectTarget, SAME_NODE_TRIES } from '../../../app/lib/call/node-failover';

const nodes = [
  { id: 'n1', url: 'http://127.0.0.1:3001' },
  { id: 'n2', url: 'http://127.0.0.1:3002' },
  { id: 'n3', url: 'http://127.0.0.1:3003' },
];

describe('reconnectTarget', () => {
  it('stays on a single server, whatever the attempt', () => {
    for (const attempt of [1, 5, 20]) expect(reconnectTarget([nodes[0]], attempt)).toBeNull();
    expect(reconnectTarget([], 9)).toBeNull();
  });
  it('retries its own node first, then goes round the others and back to its own', () => {
    const tries = Array.from({ length: SAME_NODE_TRIES + 6 }, (_, i) => reconnectTarget(nodes, i + 1)?.id ?? 'same');
    expect(tries).toEqual(['same', 'same', 'n2', 'n3', 'n1', 'n2', 'n3', 'n1']);
  });
});

// The topology drawing for a viewer outside the call (/watch): no "you", and relays drawn from
// what each participant shares of its own path.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Topology } from '../../../app/components/stats/Topology';
import type { PeerStatsShare } from '../../../signaling/protocol';

const share = (from: string, path: string | null): PeerStatsShare => ({
  upKbps: 600, downKbps: 500, videoUpKbps: 550, rttMs: 10, pingMs: 12, encoders: 1, connections: 1, limitReason: 'none', path, from, at: 0,
});
const peers = [{ id: 'a', name: 'h1-symmetric' }, { id: 'b', name: 'h2-public' }, { id: 'c', name: 'h3-public' }];
const draw = (mode: 'mesh' | 'sfu', room: Record<string, PeerStatsShare>) =>
  renderToStaticMarkup(createElement(Topology, { mode, peers, room, server: [] }));
const count = (html: string, what: string) => html.split(what).length - 1;

describe('topology seen from outside the call', () => {
  it('draws everyone and no "you"', () => {
    const html = draw('mesh', {});
    expect(count(html, 'data-testid="topology-link"')).toBe(3);
    expect(html).not.toContain('(you)');
    expect(html).not.toContain('node self');
  });

  it('mesh: a link is relayed when one end relays all its connections, not when it relays some', () => {
    const all = draw('mesh', { a: share('a', 'relay/udp'), b: share('b', 'host'), c: share('c', 'host') });
    expect(count(all, 'data-relayed="true"')).toBe(2); // a–b and a–c
    const some = draw('mesh', { a: share('a', 'relay/udp, srflx'), b: share('b', 'host'), c: share('c', 'host') });
    expect(count(some, 'data-relayed="true"')).toBe(0);
  });

  it('SFU: a spoke is relayed when its participant relays any transport', () => {
    const html = draw('sfu', { a: share('a', 'relay/tcp, host'), b: share('b', 'host') });
    expect(count(html, 'data-relayed="true"')).toBe(1);
    expect(count(html, 'data-testid="topology-turn"')).toBe(1);
  });
});

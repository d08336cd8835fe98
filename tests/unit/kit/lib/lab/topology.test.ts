import { describe, expect, it } from 'vitest';
import { inNamespace } from '../../../../../scripts/kit/lib/lab/netns';
import { labId, natRules, ownerPid, planLab, SERVER_IP } from '../../../../../scripts/kit/lib/lab/topology';
import { diffHost, normalize } from '../../../../../scripts/kit/lib/lab/host-snapshot';

const argvs = (steps: { ns: string; argv: string[] }[]) => steps.map((s) => `${s.ns}: ${s.argv.join(' ')}`);

describe('lab address plan', () => {
  const plan = planLab(labId(4242), ['public', 'symmetric']);

  it('names every namespace after the lab, whose id gives back the owning pid', () => {
    expect(plan.namespaces).toEqual(['mvs4242-net', 'mvs4242-srv', 'mvs4242-h1', 'mvs4242-r2', 'mvs4242-h2']);
    expect(plan.namespaces.map(ownerPid)).toEqual([4242, 4242, 4242, 4242, 4242]);
    expect(ownerPid(`${labId(7, 3)}-net`)).toBe(7);
    expect(ownerPid('docker-ns')).toBeNull();
  });

  it('puts public hosts on the internet range and NATed hosts behind their router', () => {
    expect(plan.server).toEqual({ ns: 'mvs4242-srv', ip: SERVER_IP, uplink: 'srv' });
    expect(plan.hosts).toEqual([
      { name: 'h1', nat: 'public', ns: 'mvs4242-h1', ip: '198.18.1.1', publicIp: '198.18.1.1', router: null, uplink: 'h1' },
      { name: 'h2', nat: 'symmetric', ns: 'mvs4242-h2', ip: '10.0.2.2', publicIp: '198.18.1.2', router: 'mvs4242-r2', uplink: 'h2' },
    ]);
  });

  it('creates every veth inside lab namespaces, never in the root namespace', () => {
    const adds = plan.steps.filter((s) => s.argv.includes('veth'));
    expect(adds.length).toBe(4); // server, h1, router r2's WAN, r2's LAN
    for (const s of adds) {
      expect(plan.namespaces).toContain(s.ns);
      expect(s.argv.slice(-2)[0]).toBe('netns');
      expect(plan.namespaces).toContain(s.argv.slice(-1)[0]);
    }
    expect(plan.steps.every((s) => plan.namespaces.includes(s.ns))).toBe(true);
  });

  it('gives every host and router a default route (unroutable traffic is dropped, not refused)', () => {
    const defaults = argvs(plan.steps).filter((l) => l.includes('route add default'));
    expect(defaults).toEqual([
      'mvs4242-srv: ip route add default via 198.18.255.254',
      'mvs4242-h1: ip route add default via 198.18.255.254',
      'mvs4242-r2: ip route add default via 198.18.255.254',
      'mvs4242-h2: ip route add default via 10.0.2.1',
    ]);
  });

  it('refuses an empty or oversized lab', () => {
    expect(() => planLab('x', [])).toThrow(/1-200 participant hosts/);
    expect(() => planLab('x', Array(201).fill('public'))).toThrow(/not 201/);
  });

  it('runs ip commands with -n and everything else through ip netns exec', () => {
    expect(inNamespace('n1', ['ip', 'link', 'show'])).toEqual(['ip', '-n', 'n1', 'link', 'show']);
    expect(inNamespace('n1', ['iptables', '-S'])).toEqual(['ip', 'netns', 'exec', 'n1', 'iptables', '-S']);
  });
});

describe('NAT behaviours', () => {
  const rules = (nat: Parameters<typeof natRules>[1]) => natRules('r', nat, '10.0.1.2').map((s) => s.argv.slice(2).join(' '));
  const inboundReplies = '-A FORWARD -i wan0 -o lan0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT';

  it('port-restricted cone: plain MASQUERADE, inbound only as replies', () => {
    expect(rules('port-restricted')).toEqual(['-A INPUT -i wan0 -m conntrack --ctstate NEW,INVALID -j DROP', '-P FORWARD DROP', inboundReplies, '-A FORWARD -i lan0 -o wan0 -j ACCEPT', '-t nat -A POSTROUTING -o wan0 -j MASQUERADE']);
  });

  it('symmetric: a random port per connection tuple', () => {
    expect(rules('symmetric')).toContain('-t nat -A POSTROUTING -o wan0 -j MASQUERADE --random-fully');
    expect(rules('symmetric').some((r) => r.includes('DNAT'))).toBe(false);
  });

  it('full cone: unsolicited UDP to a mapped port reaches the host', () => {
    expect(rules('full-cone')).toContain('-t nat -A PREROUTING -i wan0 -p udp -j DNAT --to-destination 10.0.1.2');
    expect(rules('full-cone')).toContain('-A FORWARD -i wan0 -o lan0 -p udp -d 10.0.1.2 -j ACCEPT');
  });

  it('UDP blocked: only TCP may leave', () => {
    const r = rules('udp-blocked');
    expect(r).toContain('-A FORWARD -i lan0 -o wan0 -p tcp -j ACCEPT');
    expect(r).not.toContain('-A FORWARD -i lan0 -o wan0 -j ACCEPT');
  });
});

describe('host snapshot', () => {
  it('finds added and removed lines, ignoring order and address lifetimes', () => {
    const before = { 'ip route': 'default via 10.0.0.1\n10.0.0.0/24 dev eth0', 'ip addr': normalize('inet 10.0.0.5/24 valid_lft 100sec preferred_lft 100sec') };
    const same = { 'ip route': '10.0.0.0/24 dev eth0\ndefault via 10.0.0.1', 'ip addr': normalize('inet 10.0.0.5/24 valid_lft 42sec preferred_lft 42sec') };
    expect(diffHost(before, same)).toEqual([]);
    const changed = { ...same, 'ip route': '10.0.0.0/24 dev eth0\n198.18.0.0/16 dev veth0' };
    expect(diffHost(before, changed)).toEqual(['ip route: - default via 10.0.0.1', 'ip route: + 198.18.0.0/16 dev veth0']);
  });
});

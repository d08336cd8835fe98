// The lab's network, as data: which namespaces exist, their addresses, and the commands that wire
// them. Pure, so the address plan and each NAT's rules are unit-tested without root; netns.ts runs
// the commands.
//
//   internet ("<id>-net": a bridge, 198.18.0.0/16, RFC 2544 benchmark range, forwarding off)
//     ├─ server host  "<id>-srv"  198.18.0.1
//     ├─ public host  "<id>-h1"   198.18.1.1            (nat: public)
//     └─ router       "<id>-r2"   198.18.1.2 ── LAN 10.0.2.0/24 ── host "<id>-h2" 10.0.2.2
//
// Every host and router routes by default to 198.18.255.254, the bridge's own address in a
// namespace that does not forward: unroutable traffic is dropped as on the real internet, instead of
// failing at once with "network unreachable" (coturn drops a whole allocation on such an error).

export const NAT_KINDS = ['public', 'full-cone', 'port-restricted', 'symmetric', 'udp-blocked'] as const;
export type NatKind = (typeof NAT_KINDS)[number];

export const NAT_DESCRIPTIONS: Record<NatKind, string> = {
  public: 'no NAT: a public address',
  'full-cone': 'endpoint-independent mapping and filtering: anyone may send to the mapped port',
  'port-restricted': 'endpoint-independent mapping, address-and-port-dependent filtering',
  symmetric: 'address-and-port-dependent mapping: a new external port per destination',
  'udp-blocked': 'a firewall that lets only TCP out (UDP dropped): TURN over TCP is the way out',
};

export const SERVER_IP = '198.18.0.1';
/** The lab's internet as coturn writes a range (what its relays may reach). */
export const INTERNET_RANGE = '198.18.0.0-198.18.255.255';
const INTERNET_GATEWAY = '198.18.255.254';
const PREFIX_LEN = 16;

/** One command: argv run inside namespace `ns` (`ip -n` where it applies, `ip netns exec` otherwise). */
export interface Step {
  ns: string;
  argv: string[];
}

export interface LabHost {
  /** "h1", "h2", …: also the participant's name in the lab. */
  name: string;
  nat: NatKind;
  /** The namespace the participant's browser runs in. */
  ns: string;
  /** Its own address (private behind a NAT). */
  ip: string;
  /** Its address on the internet: its own, or its router's WAN address. */
  publicIp: string;
  /** The router's namespace, or null for a public host. */
  router: string | null;
  /** The bridge port in the internet namespace that carries all its traffic: unplugging it cuts the host off. */
  uplink: string;
}

export interface LabPlan {
  id: string;
  internet: string;
  server: { ns: string; ip: string; uplink: string };
  hosts: LabHost[];
  /** Every namespace, in creation order (teardown deletes them all). */
  namespaces: string[];
  steps: Step[];
}

/** A lab id that names its namespaces: "mvs" + the owning process id (so stale labs can be found). */
export function labId(pid: number, seq = 0): string {
  return `mvs${pid}${seq ? `x${seq}` : ''}`;
}

/** Parses a lab's id back to its owner's pid (null for names that are not a lab's). */
export function ownerPid(namespace: string): number | null {
  const m = /^mvs(\d+)(x\d+)?-/.exec(namespace);
  return m ? Number(m[1]) : null;
}

const ipt = (ns: string, ...args: string[]): Step => ({ ns, argv: ['iptables', '-w', ...args] });
const ip = (ns: string, ...args: string[]): Step => ({ ns, argv: ['ip', ...args] });
const sysctl = (ns: string, key: string, value: string): Step => ({ ns, argv: ['sysctl', '-q', '-w', `${key}=${value}`] });

/** The iptables rules that make a router behave as `nat` (its WAN is wan0, its LAN lan0). */
export function natRules(ns: string, nat: Exclude<NatKind, 'public'>, hostIp: string): Step[] {
  const rules: Step[] = [
    // Unsolicited packets to the router itself are dropped before conntrack confirms an entry for
    // them: such an entry (peer's port → our port) would clash with the mapping our host's own
    // packet to that peer needs a moment later, and MASQUERADE would pick another port, breaking
    // the endpoint-independent mapping that hole punching relies on.
    ipt(ns, '-A', 'INPUT', '-i', 'wan0', '-m', 'conntrack', '--ctstate', 'NEW,INVALID', '-j', 'DROP'),
    // Routed traffic is dropped unless allowed: outbound per policy, inbound only as replies.
    ipt(ns, '-P', 'FORWARD', 'DROP'),
    ipt(ns, '-A', 'FORWARD', '-i', 'wan0', '-o', 'lan0', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'),
  ];
  if (nat === 'udp-blocked') {
    rules.push(ipt(ns, '-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0', '-p', 'tcp', '-j', 'ACCEPT'));
  } else {
    rules.push(ipt(ns, '-A', 'FORWARD', '-i', 'lan0', '-o', 'wan0', '-j', 'ACCEPT'));
  }
  // MASQUERADE keeps the source port when it is free: one mapping per internal socket, whatever the
  // destination (endpoint-independent). --random-fully picks a fresh port per connection tuple: a
  // new mapping per destination, which is what defeats server-reflexive candidates.
  const masquerade = ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan0', '-j', 'MASQUERADE'];
  rules.push(ipt(ns, ...(nat === 'symmetric' ? [...masquerade, '--random-fully'] : masquerade)));
  if (nat === 'full-cone') {
    // Full cone: unsolicited UDP to a mapped port reaches the host. With one host per router and
    // ports preserved, sending every inbound UDP datagram to the host on the same port does that.
    rules.push(ipt(ns, '-t', 'nat', '-A', 'PREROUTING', '-i', 'wan0', '-p', 'udp', '-j', 'DNAT', '--to-destination', hostIp));
    rules.push(ipt(ns, '-A', 'FORWARD', '-i', 'wan0', '-o', 'lan0', '-p', 'udp', '-d', hostIp, '-j', 'ACCEPT'));
  }
  return rules;
}

/** Wires a namespace's eth0/wan0 to the internet bridge through the port `uplink`. */
function attach(internet: string, ns: string, iface: string, uplink: string, address: string): Step[] {
  return [
    // Created inside the lab's namespaces only: the root namespace never holds a lab interface.
    ip(internet, 'link', 'add', uplink, 'type', 'veth', 'peer', 'name', iface, 'netns', ns),
    ip(internet, 'link', 'set', uplink, 'master', 'inet', 'up'),
    ip(ns, 'addr', 'add', `${address}/${PREFIX_LEN}`, 'dev', iface),
    ip(ns, 'link', 'set', iface, 'up'),
    ip(ns, 'route', 'add', 'default', 'via', INTERNET_GATEWAY),
  ];
}

/** The whole lab for `nats` (one participant host per entry, named h1, h2, …). */
export function planLab(id: string, nats: readonly NatKind[]): LabPlan {
  if (nats.length < 1 || nats.length > 200) throw new RangeError(`a lab holds 1-200 participant hosts, not ${nats.length}`);
  const internet = `${id}-net`;
  const server = { ns: `${id}-srv`, ip: SERVER_IP, uplink: 'srv' };
  const steps: Step[] = [
    ip(internet, 'link', 'add', 'inet', 'type', 'bridge'),
    ip(internet, 'addr', 'add', `${INTERNET_GATEWAY}/${PREFIX_LEN}`, 'dev', 'inet'),
    ip(internet, 'link', 'set', 'inet', 'up'),
    ip(server.ns, 'link', 'set', 'lo', 'up'),
    ...attach(internet, server.ns, 'eth0', server.uplink, server.ip),
  ];
  const namespaces = [internet, server.ns];
  const hosts = nats.map((nat, i): LabHost => {
    const n = i + 1;
    const name = `h${n}`;
    const ns = `${id}-${name}`;
    const publicIp = `198.18.${1 + Math.floor(n / 250)}.${n % 250}`;
    steps.push(ip(ns, 'link', 'set', 'lo', 'up'));
    if (nat === 'public') {
      namespaces.push(ns);
      steps.push(...attach(internet, ns, 'eth0', name, publicIp));
      return { name, nat, ns, ip: publicIp, publicIp, router: null, uplink: name };
    }
    const router = `${id}-r${n}`;
    const lan = `10.${Math.floor(n / 250)}.${n % 250}`;
    const hostIp = `${lan}.2`;
    namespaces.push(router, ns);
    steps.push(
      ip(router, 'link', 'set', 'lo', 'up'),
      ...attach(internet, router, 'wan0', name, publicIp),
      ip(router, 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns),
      ip(router, 'addr', 'add', `${lan}.1/24`, 'dev', 'lan0'),
      ip(router, 'link', 'set', 'lan0', 'up'),
      ip(ns, 'addr', 'add', `${hostIp}/24`, 'dev', 'eth0'),
      ip(ns, 'link', 'set', 'eth0', 'up'),
      ip(ns, 'route', 'add', 'default', 'via', `${lan}.1`),
      sysctl(router, 'net.ipv4.ip_forward', '1'),
      ...natRules(router, nat, hostIp),
    );
    return { name, nat, ns, ip: hostIp, publicIp, router, uplink: name };
  });
  return { id, internet, server, hosts, namespaces, steps };
}

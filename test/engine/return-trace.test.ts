// trace --return (Walker.traceReply through traceflow): the reply of each delivered path goes
// back through the connection state of that path — NAT reversed on the SR that translated,
// stateful firewalls let it pass.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/topology/load-file.js';
import { buildTwin } from '../../src/engine/twin.js';

const nat = buildTwin(loadScenarioFile('scenarios/edge-cases/nat.yaml').scenario);
const fw = buildTwin(loadScenarioFile('scenarios/edge-cases/firewall.yaml').scenario);
const natDetails = (paths: { hops: { componentType: string; detail: string }[] }[]) => paths.map((p) => p.hops.filter((h) => h.componentType === 'NAT').map((h) => h.detail));

describe('trace --return', () => {
  it('is absent unless asked for', () => {
    expect(nat.trace({ from: 'vm-centralized', to: 'client' }).return).toBeUndefined();
  });

  it('answers every delivered path; SNAT is reversed on the SR that made it', () => {
    const r = nat.trace({ from: 'vm-centralized', to: 'client', proto: 'udp', dport: 53, sport: 40000 }, { withReturn: true });
    expect(r.return!.map((x) => x.forwardPath)).toEqual([0, 1]);
    for (const ret of r.return!) {
      expect(ret.flow).toEqual({ from: 'client', to: null, src: '192.168.100.10', dst: '192.0.2.100', proto: 'udp', sport: 53, dport: 40000 });
      expect(ret.paths.every((p) => p.disposition === 'DELIVERED' && p.hops[p.hops.length - 1].component === 'vm-centralized')).toBe(true);
      for (const d of natDetails(ret.paths)) expect(d).toEqual(['reverse SNAT destination 192.0.2.100 → 10.1.2.10 (rule "snat-app")']);
    }
  });

  it('DNAT is reversed: the client sees the reply from the public address and port', () => {
    const r = nat.trace({ from: 'client', to: '192.0.2.200', proto: 'tcp', dport: 2222 }, { withReturn: true });
    for (const p of r.paths) expect(natDetails([p])[0]).toEqual(['DNAT destination 192.0.2.200:2222 → 10.1.2.10:22 (rule "dnat-ssh")']);
    for (const ret of r.return!) {
      expect(ret.flow.from).toBe('vm-centralized');
      expect(ret.flow.sport).toBe(22);
      expect(ret.paths.every((p) => p.disposition === 'DELIVERED')).toBe(true);
      for (const d of natDetails(ret.paths)) expect(d).toEqual(['reverse DNAT source 10.1.2.10:22 → 192.0.2.200:2222 (rule "dnat-ssh")']);
    }
  });

  it('stateful firewalls let the reply of an allowed flow pass (a new flow the other way is denied)', () => {
    const r = fw.trace({ from: 'client', to: 'vm-centralized', proto: 'tcp', dport: 443 }, { withReturn: true });
    expect(r.return!.flatMap((x) => x.paths.map((p) => p.disposition))).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    const fresh = fw.trace({ from: 'vm-centralized', to: 'client', proto: 'tcp', dport: 49152 });
    expect(fresh.paths.map((p) => p.disposition)).toEqual(['DENIED']);
  });

  it('denied forward paths get no reply', () => {
    const r = fw.trace({ from: 'client', to: 'vm-centralized', proto: 'tcp', dport: 80 }, { withReturn: true });
    expect(r.return).toEqual([]);
  });
});

// The engine host answers the page with plain data: snapshots (picture, toggles, problems),
// details per object, what-if changes with their report, lab views — all structured-clone safe,
// as they cross into and out of the Web Worker.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localEngine } from '../../src/viz/engine-local.js';
import { EngineHost } from '../../src/viz/engine-host.js';
import { Workspace } from '../../src/viz/workspace.js';
import { bundledFiles } from './files.js';

describe('engine host', () => {
  it('opens a scenario and returns a cloneable snapshot with the picture', () => {
    const host = new EngineHost(bundledFiles());
    const s = host.open('scenarios/tkgi-byot.yaml');
    expect(structuredClone(s)).toEqual(s);
    expect(s.model!.nodes.some((n) => n.id === 'vip:tkgi-cluster-1--yelb-yelb-ui')).toBe(true);
    expect(s.names).toContain('yelb-ui.yelb.this-is-a.domain.net');
    expect(s.toggles.filter((t) => t.kind === 'variant').map((t) => t.id)).toEqual(['variant:scenarios/tkgi-byot-nat.yaml', 'variant:scenarios/tkgi-byot-route-map-fix.yaml']);
  });
  it('details: a Tier-0 SR has routes and BGP with reasons; an endpoint can be traced; a VIP shows its routes', () => {
    const host = new EngineHost(bundledFiles());
    host.open('scenarios/tkgi-byot.yaml');
    const sr = host.details('t0sr:t0-lhr:edge-01')!;
    expect(sr.blocks.map((b) => b.title)).toEqual(['t0-lhr SR routes on edge-01', 'BGP sessions (AS 65146, router id 10.146.10.11)', 'BGP table']);
    expect(sr.blocks[2].table!.rows.find((r) => r[1] === '0.0.0.0/0' && r[0] === '*>')![4]).toBe('best: won at northbound over inter-SR (NSX)');
    expect(host.details('ep:ubuntu02')).toBeNull(); // physical hosts are host:…
    expect(host.details('host:ubuntu02')!.traceName).toBe('ubuntu02');
    const vip = host.details('vip:tkgi-cluster-1--yelb-yelb-ui')!;
    expect(vip.blocks[0].table!.rows).toContainEqual(['The-Tier-1 T1_DR', 'static 10.146.102.100/32 → 10.146.50.11, 10.146.50.12']);
  });
  it('a failure is a change with a report; problems keep the previous state', () => {
    const host = new EngineHost(bundledFiles());
    host.open('scenarios/tkgi-byot.yaml');
    const r = host.toggle('fail:se-generic-01');
    expect(r.report!.routes).toContainEqual({ component: 'The-Tier-1 T1_DR', prefix: '10.146.102.100/32', change: 'changed', before: 'static via 10.146.50.11, 10.146.50.12', after: 'static via 10.146.50.12' });
    expect(r.snapshot.canUndo).toBe(true);
    host.addFile('local/bad.yaml', 'transportNodes: {}\ntier1s:\n  t1: { tier0: nope }\n');
    const bad = host.open('local/bad.yaml');
    expect(bad.model).toBeUndefined();
    expect(bad.problems).toEqual(['local/bad.yaml: tier1s.t1.tier0: no Tier-0 named "nope" (line 3)']);
    expect(bad.file).toBe('scenarios/tkgi-byot.yaml');
  });
  it('the async client gives the same answers', async () => {
    const c = localEngine(bundledFiles());
    const s = await c.open('scenarios/tkgi-antrea.yaml');
    expect(s.file).toBe('scenarios/tkgi-antrea.yaml');
    const t = await c.trace({ from: 'ubuntu02', to: 'yelb-ui-yelb.this-is-a.domain.net', proto: 'tcp', dport: 80 }, false);
    expect(t.result!.paths.map((p) => p.disposition)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    const lab = await c.labOpen('labs/03-se-to-worker.yaml', { why: 1 });
    expect('error' in lab ? lab.error : lab.tasks.map((x) => x.pass)).toEqual([false, true, true]); // byot task needs tkgi-byot open
  });
});

describe('engine host: every failure is a problem, the open scenario stays', () => {
  afterEach(() => vi.restoreAllMocks());
  const opened = () => {
    const host = new EngineHost(bundledFiles());
    host.open('scenarios/tkgi-byot.yaml');
    return host;
  };
  const expectKept = (host: EngineHost, s: ReturnType<EngineHost['open']>, file: string) => {
    expect(s.model).toBeUndefined();
    expect(s.file).toBe('scenarios/tkgi-byot.yaml');
    expect(s.problems.length).toBeGreaterThan(0);
    for (const p of s.problems) expect(p.startsWith(`${file}: `)).toBe(true);
    expect(structuredClone(s)).toEqual(s);
    // The previous scenario still answers.
    expect(host.trace({ from: 'ubuntu02', to: '10.146.102.100', proto: 'tcp', dport: 80 }, false).result!.paths[0].disposition).toBe('DELIVERED');
  };
  it.each([
    ['local/alias.yaml', 'transportNodes:\n  h1: &x { ip: 10.0.0.1, self: *x }\n'],
    ['local/ext.yaml', 'extends: ../constructor\n'],
    ['local/proto.yaml', 'extends: ../__proto__\n'],
    ['local/ncp.yaml', 'extends: ../scenarios/tkgi-byot.yaml\nkubernetes:\n  tkgi-cluster-1:\n    ncp: { podIpBlock: 10.146.128.0/30 }\n'],
  ])('%s', (file, text) => {
    const host = opened();
    host.addFile(file, text);
    expectKept(host, host.open(file), file);
  });
  it('names of Object.prototype are file names like any other: __proto__, constructor', () => {
    const host = opened();
    for (const file of ['__proto__', 'constructor', 'toString']) {
      expectKept(host, host.open(file), file);
      expect(host.labOpen(file, {})).toEqual({ error: `${file}: no lab of that name` });
    }
    host.addFile('__proto__', 'extends: scenarios/tkgi-byot.yaml\nname: proto\n');
    expect(host.open('__proto__').title).toBe('proto');
  });
  it('an exception nothing below turned into a problem is reported as one', () => {
    const host = opened();
    vi.spyOn(Workspace.prototype, 'open').mockImplementation(() => {
      throw new TypeError('boom');
    });
    const s = host.open('scenarios/tkgi-antrea.yaml');
    expect(s.problems).toEqual(['scenarios/tkgi-antrea.yaml: cannot be opened: boom']);
    expectKept(host, s, 'scenarios/tkgi-antrea.yaml');
    vi.spyOn(Workspace.prototype, 'toggle').mockImplementation(() => {
      throw new RangeError('bust');
    });
    const r = host.toggle('fail:edge-01');
    expect(r.report).toBeNull();
    expect(r.snapshot.problems).toEqual(['scenarios/tkgi-byot.yaml: the change failed: bust']);
  });
  it('the async client: a file named constructor is a missing file', async () => {
    const c = localEngine(bundledFiles());
    await expect(c.open('constructor')).resolves.toMatchObject({ problems: ['constructor: cannot read file'] });
  });
});

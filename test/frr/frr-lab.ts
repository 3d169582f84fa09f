// A throw-away FRRouting lab built from a scenario's physical routers: one Linux network namespace
// per router running zebra (+ staticd) + bgpd, one namespace holding a Linux bridge per L2
// network, veth pairs between them. Needs root and FRR 8.4+ in /usr/lib/frr. Everything it creates
// is named after this process (ntw<pid>-<lab>-…) and removed by stop(), which is idempotent and
// also runs from a process 'exit'/SIGINT/SIGTERM hook so an aborted run does not leave daemons.
import type { BgpRibEntry } from '../../src/engine/queries/bgp-view.js';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatPrefix, networkOf, parseIfAddr } from '../../src/topology/ip.js';
import { entriesOf, type Scenario } from '../../src/topology/scenario.js';
import { frrConfig, type FrrRouterConfig } from './frr-config.js';

export const FRR_DIR = process.env.NTW_FRR_DIR ?? '/usr/lib/frr';
const VTYSH = process.env.NTW_VTYSH ?? 'vtysh';

// ---- Environment probe ---------------------------------------------------------------------------

export type Availability = { ok: true } | { ok: false; reason: string };

let availability: Availability | undefined;

/** Whether labs can run here: root, FRR daemons and vtysh, the frr user, `ip netns add`. */
export function frrLabAvailability(): Availability {
  if (availability) return availability;
  const no = (reason: string): Availability => (availability = { ok: false, reason });
  if (process.platform !== 'linux') return no(`not Linux (${process.platform})`);
  if (process.getuid?.() !== 0) return no('not running as root (network namespaces need root)');
  for (const d of ['zebra', 'bgpd', 'staticd']) if (!existsSync(join(FRR_DIR, d))) return no(`${join(FRR_DIR, d)} is missing (install frr)`);
  try {
    execFileSync(VTYSH, ['--help'], { stdio: 'ignore' });
  } catch {
    return no('vtysh is missing (install frr)');
  }
  try {
    execFileSync('id', ['-u', 'frr'], { stdio: 'ignore' });
  } catch {
    return no('no "frr" user (install frr)');
  }
  const probe = `ntw${process.pid}-probe`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
  } catch (e) {
    return no(`"ip netns add" failed: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}`);
  }
  try {
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  } catch {
    /* best effort */
  }
  return (availability = { ok: true });
}

// ---- Lab -----------------------------------------------------------------------------------------

export interface LabOptions {
  /** Label used in messages (e.g. the topology file name). */
  name?: string;
  /** How long to wait for each daemon's vty socket. Default 10 s. */
  startTimeoutMs?: number;
  /** Keep the temp dir (configs, logs) after stop(), for debugging. Default: env NTW_KEEP=1. */
  keepDir?: boolean;
}

export interface LabRouter {
  name: string;
  /** Network namespace (also the FRR -N pathspace). */
  ns: string;
  /** Directory with this router's configs, pid files, vty sockets and logs. */
  dir: string;
  config: FrrRouterConfig;
  daemons: { name: string; pid: number; exited: string | null }[];
}

export interface ConvergeResult {
  ms: number;
  polls: number;
}

export interface Lab {
  readonly name: string;
  /** Temp dir holding one directory per router (named like its namespace). */
  readonly dir: string;
  readonly routers: ReadonlyMap<string, LabRouter>;
  readonly bridgeNs: string;
  /** Runs one vtysh command in a router; JSON output (commands ending in `json`) is parsed. */
  vtysh(router: string, command: string): Promise<any>;
  /** Runs several commands in one vtysh process; returns each command's output (JSON parsed). */
  vtyshMany(router: string, commands: string[]): Promise<any[]>;
  /** Polls until every session is Established and RIBs/FIBs are unchanged over ≥1 s. */
  waitConverged(timeoutMs?: number): Promise<ConvergeResult>;
  /** Human-readable state of every router (sessions, BGP table, daemon status, log tails). */
  dump(): Promise<string>;
  /** Configuration lines a daemon refused (from its log): the generated config must have none. */
  configErrors(): string[];
  stop(): Promise<void>;
}

const live = new Set<LabImpl>();
let hooksInstalled = false;
let labSeq = 0;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => {
    for (const lab of live) lab.stopSync();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const lab of live) lab.stopSync();
      process.kill(process.pid, sig);
    });
  }
}

/** Runs `ip [-n NS] -batch -` with the commands; throws with ip's message on the first failure. */
function ipBatch(ns: string | null, commands: string[]): void {
  const args = [...(ns ? ['-n', ns] : []), '-batch', '-'];
  try {
    execFileSync('ip', args, { input: commands.join('\n') + '\n', stdio: 'pipe' });
  } catch (e) {
    throw new Error(`ip ${args.join(' ')}: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}\n  ${commands.join('\n  ')}`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Splits concatenated vtysh outputs of JSON commands into values (text outputs stay strings). */
export function splitJsonValues(text: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    if (text[i] !== '{' && text[i] !== '[') throw new Error(`not JSON at offset ${i}: ${text.slice(i, i + 200)}`);
    let depth = 0;
    let inStr = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inStr) {
        if (c === '\\') j++;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    out.push(JSON.parse(text.slice(i, j + 1)));
    i = j + 1;
  }
  return out;
}

/** L2 networks of the scenario's physical routers: a `segment:` or else the interface subnet. */
export function l2Networks(s: Scenario): { key: string; members: { router: string; itf: string; ip: string }[] }[] {
  const nets = new Map<string, { router: string; itf: string; ip: string }[]>();
  for (const [router, r] of entriesOf(s.physicalRouters)) {
    for (const itf of r.interfaces ?? []) {
      const a = parseIfAddr(itf.ip);
      if (!a) throw new Error(`${router}/${itf.name}: bad address ${itf.ip}`);
      const key = itf.segment !== undefined ? `segment ${itf.segment}` : `subnet ${formatPrefix(networkOf(a))}`;
      const list = nets.get(key) ?? [];
      list.push({ router, itf: itf.name, ip: itf.ip });
      nets.set(key, list);
    }
  }
  return [...nets].map(([key, members]) => ({ key, members }));
}

class LabImpl implements Lab {
  readonly name: string;
  readonly dir: string;
  readonly routers = new Map<string, LabRouter>();
  readonly bridgeNs: string;
  private readonly prefix: string;
  private readonly namespaces: string[] = [];
  private readonly children: ChildProcess[] = [];
  private stopping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    readonly scenario: Scenario,
    readonly opts: LabOptions,
  ) {
    this.name = opts.name ?? scenario.name ?? 'lab';
    this.prefix = `ntw${process.pid}-${++labSeq}`;
    this.bridgeNs = `${this.prefix}-br`;
    this.dir = mkdtempSync(join(tmpdir(), `${this.prefix}-`));
  }

  async start(): Promise<void> {
    installExitHooks();
    live.add(this);
    const s = this.scenario;
    const routers = entriesOf(s.physicalRouters);
    if (!routers.length) throw new Error(`${this.name}: no physical routers`);
    const uid = Number(execFileSync('id', ['-u', 'frr']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'frr']).toString().trim());

    // Namespaces, bridges, veth pairs and addresses: one `ip -batch` per namespace.
    const names = routers.map((_, idx) => `${this.prefix}-${idx + 1}`);
    ipBatch(null, [this.bridgeNs, ...names].map((ns) => `netns add ${ns}`));
    this.namespaces.push(this.bridgeNs, ...names);
    routers.forEach(([name], idx) => {
      const ns = names[idx];
      const dir = join(this.dir, ns);
      mkdirSync(dir);
      this.routers.set(name, { name, ns, dir, config: frrConfig(s, name), daemons: [] });
    });
    const bridgeCmds = ['link set lo up'];
    const routerCmds = new Map<string, string[]>(names.map((ns) => [ns, ['link set lo up']]));
    l2Networks(s).forEach((net, b) => {
      const br = `br${b + 1}`;
      bridgeCmds.push(`link add name ${br} type bridge stp_state 0 forward_delay 0`, `link set ${br} up`);
      net.members.forEach((m, k) => {
        const itf = m.itf;
        if (!/^[A-Za-z0-9_.:-]{1,15}$/.test(itf) || itf === 'lo' || itf === '.' || itf === '..') {
          throw new Error(`${m.router}: interface name ${JSON.stringify(itf)} is not a usable Linux interface name (≤15 characters)`);
        }
        const r = this.routers.get(m.router)!;
        const outer = `b${b + 1}p${k + 1}`;
        const tmp = `t${b + 1}p${k + 1}`;
        bridgeCmds.push(`link add name ${outer} type veth peer name ${tmp}`, `link set ${tmp} netns ${r.ns} name ${itf}`, `link set ${outer} master ${br} up`);
        routerCmds.get(r.ns)!.push(`addr add ${m.ip} dev ${itf}`, `link set ${itf} up`);
      });
    });
    ipBatch(this.bridgeNs, bridgeCmds);
    for (const [ns, cmds] of routerCmds) ipBatch(ns, cmds);

    // Config files, owned by the frr user the daemons switch to.
    for (const r of this.routers.values()) {
      writeFileSync(join(r.dir, 'frr.conf'), r.config.frrConf);
      writeFileSync(join(r.dir, 'zebra.conf'), r.config.daemons.zebra);
      if (r.config.daemons.staticd) writeFileSync(join(r.dir, 'staticd.conf'), r.config.daemons.staticd);
      if (r.config.daemons.bgpd) writeFileSync(join(r.dir, 'bgpd.conf'), r.config.daemons.bgpd);
      writeFileSync(join(r.dir, 'vtysh.conf'), '');
    }
    execFileSync('chown', ['-R', `${uid}:${gid}`, this.dir]);
    chownSync(this.dir, uid, gid);

    // Daemons: zebra first (the others connect to its zserv socket), then staticd and bgpd.
    const timeout = this.opts.startTimeoutMs ?? 10000;
    for (const r of this.routers.values()) this.spawnDaemon(r, 'zebra');
    await Promise.all([...this.routers.values()].map((r) => this.waitSocket(r, 'zebra', timeout)));
    for (const r of this.routers.values()) {
      if (r.config.daemons.staticd) this.spawnDaemon(r, 'staticd');
      if (r.config.daemons.bgpd) this.spawnDaemon(r, 'bgpd');
    }
    await Promise.all(
      [...this.routers.values()].flatMap((r) => r.daemons.filter((d) => d.name !== 'zebra').map((d) => this.waitSocket(r, d.name, timeout))),
    );
  }

  private spawnDaemon(r: LabRouter, daemon: 'zebra' | 'staticd' | 'bgpd'): void {
    const args = [
      'netns', 'exec', r.ns, join(FRR_DIR, daemon),
      '-N', r.ns,
      '-f', join(r.dir, `${daemon}.conf`),
      '-i', join(r.dir, `${daemon}.pid`),
      '--vty_socket', r.dir,
      '-z', join(r.dir, 'zserv.api'),
      '--log', `file:${join(r.dir, `${daemon}.log`)}`,
    ];
    const out = openSync(join(r.dir, `${daemon}.out`), 'a');
    // `ip netns exec` execs the daemon, so the child's pid is the daemon's pid.
    const child = spawn('ip', args, { stdio: ['ignore', out, out] });
    closeSync(out);
    if (child.pid === undefined) throw new Error(`${r.name}: could not start ${daemon}`);
    const rec = { name: daemon, pid: child.pid, exited: null as string | null };
    child.on('exit', (code, signal) => {
      rec.exited = signal ? `killed by ${signal}` : `exited with ${code}`;
    });
    child.on('error', (e) => {
      rec.exited = `failed: ${e.message}`;
    });
    r.daemons.push(rec);
    this.children.push(child);
  }

  private async waitSocket(r: LabRouter, daemon: string, timeoutMs: number): Promise<void> {
    const sock = daemon === 'zebra' ? join(r.dir, 'zserv.api') : join(r.dir, `${daemon}.vty`);
    const rec = r.daemons.find((d) => d.name === daemon)!;
    const t0 = Date.now();
    while (!existsSync(sock) || (daemon === 'zebra' && !existsSync(join(r.dir, 'zebra.vty')))) {
      if (rec.exited) throw new Error(`${this.name}: ${r.name} ${daemon} ${rec.exited}\n${this.tail(r, daemon)}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`${this.name}: ${r.name} ${daemon} did not open ${sock} within ${timeoutMs} ms\n${this.tail(r, daemon)}`);
      await sleep(25);
    }
  }

  private tail(r: LabRouter, daemon: string, lines = 15): string {
    const parts: string[] = [];
    for (const f of [`${daemon}.out`, `${daemon}.log`]) {
      try {
        const text = readFileSync(join(r.dir, f), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
        if (text) parts.push(`--- ${r.name} ${f}\n${text}`);
      } catch {
        /* absent */
      }
    }
    return parts.join('\n');
  }

  private router(name: string): LabRouter {
    const r = this.routers.get(name);
    if (!r) throw new Error(`${this.name}: no router ${JSON.stringify(name)} (routers: ${[...this.routers.keys()].join(', ')})`);
    return r;
  }

  private run(router: string, commands: string[]): Promise<string> {
    const r = this.router(router);
    const args = ['netns', 'exec', r.ns, VTYSH, '-N', r.ns, '--vty_socket', this.dir, '--config_dir', this.dir];
    for (const c of commands) args.push('-c', c);
    return new Promise((resolve, reject) => {
      execFile('ip', args, { timeout: 15000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`${router}: vtysh ${commands.map((c) => JSON.stringify(c)).join(' ')}: ${err.message}\n${stderr}${stdout}`));
        else resolve(stdout);
      });
    });
  }

  async vtysh(router: string, command: string): Promise<any> {
    const out = await this.run(router, [command]);
    return /\bjson$/.test(command.trim()) ? JSON.parse(out) : out;
  }

  async vtyshMany(router: string, commands: string[]): Promise<any[]> {
    if (!commands.length) return [];
    if (!commands.every((c) => /\bjson$/.test(c.trim()))) return Promise.all(commands.map((c) => this.vtysh(router, c)));
    const out = await this.run(router, commands);
    const values = splitJsonValues(out);
    if (values.length !== commands.length) throw new Error(`${router}: expected ${commands.length} JSON outputs, got ${values.length}`);
    return values;
  }

  /** Stable, comparable state of one router: sessions, BGP table and BGP FIB routes. */
  private async snapshot(router: string): Promise<{ established: boolean; pending: string[]; state: string }> {
    const r = this.router(router);
    const dead = r.daemons.filter((d) => d.exited);
    if (dead.length) throw new Error(`${this.name}: ${router}: ${dead.map((d) => `${d.name} ${d.exited}`).join(', ')}\n${dead.map((d) => this.tail(r, d.name)).join('\n')}`);
    if (!r.config.daemons.bgpd) {
      const [fib] = await this.vtyshMany(router, ['show ip route json']);
      return { established: true, pending: [], state: JSON.stringify(fibState(fib)) };
    }
    const [summary, table, fib] = await this.vtyshMany(router, ['show bgp summary json', 'show bgp ipv4 unicast json', 'show ip route json']);
    const peers: Record<string, any> = summary?.ipv4Unicast?.peers ?? {};
    const configured = (this.scenario.physicalRouters?.[router]?.bgp?.neighbors ?? []).map((n) => n.address);
    const pending = configured.filter((a) => peers[a]?.state !== 'Established').map((a) => `${a} ${peers[a]?.state ?? 'absent'}`);
    const routes: Record<string, any[]> = table?.routes ?? {};
    const rib = Object.keys(routes)
      .sort()
      .map((p) =>
        routes[p]
          .map((e) => [p, e.nexthops?.map((n: any) => n.ip).join(','), e.peerId, e.path, e.origin, e.metric, e.locPrf, e.weight, !!e.valid, !!e.bestpath, !!e.multipath].join('|'))
          .sort()
          .join(' ; '),
      );
    const counts = Object.keys(peers)
      .sort()
      .map((a) => `${a}:${peers[a].state}:${peers[a].pfxRcd}:${peers[a].pfxSnt}`);
    return { established: pending.length === 0, pending, state: JSON.stringify({ counts, rib, fib: fibState(fib) }) };
  }

  configErrors(): string[] {
    const out: string[] = [];
    for (const r of this.routers.values()) {
      for (const d of r.daemons) {
        let text = '';
        try {
          text = readFileSync(join(r.dir, `${d.name}.log`), 'utf8');
        } catch {
          continue;
        }
        const lines = text.split('\n');
        lines.forEach((l, i) => {
          if (/No such command|Unknown command|Ambiguous command|Command incomplete|Invalid command|Error .*config|config line/i.test(l)) {
            const next = lines[i + 1] && !/^\d{4}\/\d\d\/\d\d /.test(lines[i + 1]) ? ` ${lines[i + 1].trim()}` : '';
            out.push(`${r.name} ${d.name}: ${l.replace(/^\S+ \S+ /, '').trim()}${next}`);
          }
        });
      }
    }
    return out;
  }

  async waitConverged(timeoutMs = 30000): Promise<ConvergeResult> {
    const t0 = Date.now();
    let last: string | null = null;
    let since = 0;
    let polls = 0;
    let pending: string[] = [];
    for (;;) {
      polls++;
      const names = [...this.routers.keys()];
      const snaps = await Promise.all(names.map((n) => this.snapshot(n)));
      const now = Date.now();
      pending = snaps.flatMap((s, i) => s.pending.map((p) => `${names[i]} → ${p}`));
      if (!pending.length) {
        const state = snaps.map((s) => s.state).join('\n');
        if (state === last) {
          if (now - since >= 1000) {
            const bad = this.configErrors();
            if (bad.length) throw new Error(`${this.name}: FRR refused configuration lines:\n  ${bad.join('\n  ')}`);
            return { ms: now - t0, polls };
          }
        } else {
          last = state;
          since = now;
        }
      } else {
        last = null;
      }
      if (now - t0 > timeoutMs) {
        const why = pending.length ? `sessions not Established: ${pending.join(', ')}` : 'routing tables still changing';
        throw new Error(`${this.name}: not converged after ${timeoutMs} ms (${why})\n${await this.dump()}`);
      }
      await sleep(250);
    }
  }

  async dump(): Promise<string> {
    const parts: string[] = [];
    for (const r of this.routers.values()) {
      parts.push(`===== ${r.name} (${r.ns}) daemons: ${r.daemons.map((d) => `${d.name}[${d.pid}]${d.exited ? ` ${d.exited}` : ''}`).join(' ')}`);
      try {
        parts.push(await this.vtysh(r.name, 'show bgp summary'), await this.vtysh(r.name, 'show bgp ipv4 unicast'), await this.vtysh(r.name, 'show ip route'));
      } catch (e) {
        parts.push(`(vtysh failed: ${(e as Error).message})`);
      }
      for (const d of r.daemons) parts.push(this.tail(r, d.name, 8));
    }
    return parts.filter(Boolean).join('\n');
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
      const t0 = Date.now();
      while (this.children.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() - t0 < 3000) await sleep(25);
      this.stopSync();
    })();
    return this.stopping;
  }

  /** Synchronous teardown (also the exit hook): SIGKILL survivors, delete namespaces and files. */
  stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    live.delete(this);
    for (const c of this.children) {
      if (c.exitCode === null && c.signalCode === null && c.pid !== undefined) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    for (const ns of this.namespaces.reverse()) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
      } catch {
        /* already gone */
      }
    }
    // FRR also creates /var/run/frr/<pathspace> (because of -N) and, while running,
    // /var/tmp/frr/<daemon>.<pid>; remove the ones that belong to this lab.
    for (const r of this.routers.values()) {
      rmSync(join('/var/run/frr', r.ns), { recursive: true, force: true });
      for (const d of r.daemons) rmSync(join('/var/tmp/frr', `${d.name}.${d.pid}`), { recursive: true, force: true });
    }
    const keep = this.opts.keepDir ?? process.env.NTW_KEEP === '1';
    if (!keep) rmSync(this.dir, { recursive: true, force: true });
  }
}

function fibState(fib: Record<string, any[]>): string[] {
  return frrFibFromJson(fib).map((r) => `${r.prefix}|${r.selected}|${r.nextHops.map((h) => `${h.ip}@${h.interface}`).join(',')}`);
}

/** Starts a lab for the scenario's physical routers; on failure everything is torn down again. */
export async function startLab(scenario: Scenario, opts: LabOptions = {}): Promise<Lab> {
  const lab = new LabImpl(scenario, opts);
  try {
    await lab.start();
  } catch (e) {
    await lab.stop();
    throw e;
  }
  return lab;
}

/** Stops every lab this process still has running (for an afterAll safety net). */
export async function stopAllLabs(): Promise<void> {
  await Promise.all([...live].map((l) => l.stop()));
}

// ---- Normalised views ----------------------------------------------------------------------------

/** One path of FRR's BGP table, in nsx-twin's BgpRibEntry shape (reason = FRR's selectionReason on the best path, '' otherwise) plus FRR-only extras. */
export interface FrrBgpEntry extends BgpRibEntry {
  /** FRR-only: the path is usable (next hop resolved, no loop). */
  valid: boolean;
  /** FRR-only: suppressed by an aggregate-address summary-only. */
  suppressed: boolean;
}

export interface FrrFibRoute {
  prefix: string;
  selected: boolean;
  nextHops: { ip: string | null; interface: string | null }[];
}

function asPathNumbers(aspath: any): number[] {
  const out: number[] = [];
  for (const seg of aspath?.segments ?? []) for (const n of seg.list ?? []) out.push(Number(n));
  return out;
}

const words = (s: unknown) => (typeof s === 'string' ? s.split(/\s+/).filter(Boolean) : []);

/**
 * Normalises `show bgp ipv4 unicast PREFIX json` outputs. `tables` (the matching entries of
 * `show bgp ipv4 unicast json`, same path order) supplies the suppressed flag, which the per-prefix
 * view does not show. Locally originated paths (network, redistribute, aggregate) get next hop
 * 0.0.0.0 and peer null; FRR shows "::" for an aggregate's.
 */
export function frrBgpEntriesFromJson(details: any[], tables: Record<string, any[]> = {}): FrrBgpEntry[] {
  const out: FrrBgpEntry[] = [];
  for (const d of details) {
    if (!d?.prefix) continue;
    const table: any[] = tables[d.prefix] ?? [];
    (d.paths ?? []).forEach((p: any, i: number) => {
      const peerId: string | undefined = p.peer?.peerId;
      const local = !!p.local || !!p.sourced || !!p.aggregated || peerId === undefined || peerId === '0.0.0.0' || peerId === '::';
      const origin = String(p.origin ?? '').toLowerCase();
      const nh: string | undefined = p.nexthops?.[0]?.ip;
      out.push({
        prefix: d.prefix,
        nextHop: local && (nh === undefined || nh === '::') ? '0.0.0.0' : (nh ?? '0.0.0.0'),
        asPath: asPathNumbers(p.aspath),
        origin: (origin === 'igp' || origin === 'egp' ? origin : 'incomplete') as FrrBgpEntry['origin'],
        localPref: typeof p.locPrf === 'number' ? p.locPrf : null,
        med: typeof p.metric === 'number' ? p.metric : null,
        communities: words(p.community?.string),
        largeCommunities: words(p.largeCommunity?.string),
        weight: typeof p.weight === 'number' ? p.weight : 0,
        best: !!p.bestpath?.overall,
        multipath: !!p.multipath,
        peer: local ? null : peerId!,
        reason: p.bestpath?.selectionReason ?? '',
        valid: !!p.valid,
        suppressed: !!p.suppressed || (table.length === d.paths.length && !!table[i]?.suppressed),
      });
    });
  }
  return out.sort((a, b) => cmpPrefix(a.prefix, b.prefix) || a.nextHop.localeCompare(b.nextHop) || String(a.peer).localeCompare(String(b.peer)));
}

function cmpPrefix(a: string, b: string): number {
  const key = (p: string) => {
    const [addr, len] = p.split('/');
    return addr.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) * 64 + Number(len);
  };
  return key(a) - key(b);
}

/** nsx-twin-shaped BGP table of one router (every path FRR holds, best or not). */
export async function frrBgpRib(lab: Lab, router: string): Promise<FrrBgpEntry[]> {
  const table = await lab.vtysh(router, 'show bgp ipv4 unicast json');
  const prefixes = Object.keys(table?.routes ?? {});
  const details = await lab.vtyshMany(router, prefixes.map((p) => `show bgp ipv4 unicast ${p} json`));
  return frrBgpEntriesFromJson(details, table?.routes ?? {});
}

/** BGP routes of `show ip route json`: prefix, selected, next hops (recursion resolved). */
export function frrFibFromJson(fib: Record<string, any[]>): FrrFibRoute[] {
  const out: FrrFibRoute[] = [];
  for (const [prefix, entries] of Object.entries(fib ?? {})) {
    for (const e of entries) {
      if (e.protocol !== 'bgp') continue;
      const hops: FrrFibRoute['nextHops'] = [];
      const nhs: any[] = e.nexthops ?? [];
      for (let i = 0; i < nhs.length; i++) {
        const nh = nhs[i];
        if (nh.resolver) continue;
        if (nh.active === false) continue;
        if (nh.blackhole || nh.unreachable || nh.prohibited) {
          hops.push({ ip: 'null', interface: null });
          continue;
        }
        let itf: string | null = nh.interfaceName ?? null;
        if (itf === null && nh.recursive) {
          for (let j = i + 1; j < nhs.length && nhs[j].resolver; j++) {
            if (nhs[j].interfaceName) {
              itf = nhs[j].interfaceName;
              break;
            }
          }
        }
        hops.push({ ip: nh.ip ?? null, interface: itf });
      }
      hops.sort((a, b) => `${a.ip}@${a.interface}`.localeCompare(`${b.ip}@${b.interface}`));
      out.push({ prefix, selected: !!e.selected, nextHops: hops });
    }
  }
  return out.sort((a, b) => cmpPrefix(a.prefix, b.prefix));
}

export async function frrFib(lab: Lab, router: string): Promise<FrrFibRoute[]> {
  return frrFibFromJson(await lab.vtysh(router, 'show ip route json'));
}

// `nsx-twin generate`: a preset size (S, M, L) with any option overridden, as YAML (or JSON) on
// stdout or in a file. The text starts with the yaml-language-server modeline (the schema path
// relative to where the file goes: the output file's folder, or the current folder for stdout)
// and the command that reproduces it. An existing --output file is replaced only with --force.
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryError } from '../topology/errors.js';
import type { GenerateOptions, Size } from '../topology/generate.js';

/** The whole-number options of `generate`, each overriding the preset's GenerateOptions field. */
export const GENERATE_INT_OPTIONS = [
  { flag: '--tier1s', key: 'tier1s', description: 'Tier-1 gateways' },
  { flag: '--segments-per-tier1', key: 'segmentsPerTier1', description: 'overlay segments (/24) per Tier-1' },
  { flag: '--workloads-per-segment', key: 'workloadsPerSegment', description: 'workloads per segment' },
  { flag: '--hosts', key: 'hosts', description: 'ESXi hosts' },
  { flag: '--edges', key: 'edges', description: "edge nodes in the Tier-0's edge cluster (one SR and uplink each)" },
  { flag: '--tors', key: 'tors', description: 'ToRs on the uplink VLAN (1-10)' },
  { flag: '--centralized-every', key: 'centralizedEvery', description: 'every N-th Tier-1 gets an SR pair' },
  { flag: '--virtual-services', key: 'virtualServices', description: 'Avi virtual services (VIP /32 each; 0: no load balancer)' },
  { flag: '--se-group-tier1s', key: 'seGroupTier1s', description: 'Tier-1s per SE group (1-9: an SE has at most 9 data NICs)' },
  { flag: '--ses-per-group', key: 'sesPerGroup', description: 'SEs per SE group' },
  { flag: '--pool-members', key: 'poolMembers', description: 'members per pool' },
  { flag: '--seed', key: 'seed', description: 'seed of the placement of virtual services and workloads' },
  { flag: '--kubernetes', key: 'kubernetes', description: 'Kubernetes clusters (Antrea + AKO, a LoadBalancer Service each) on the first Tier-1s with virtual services' },
] as const satisfies readonly { flag: string; key: keyof GenerateOptions; description: string }[];

type IntKey = (typeof GENERATE_INT_OPTIONS)[number]['key'];

export type GenerateCliOptions = { size: Size; bgp: boolean; routePolicy?: boolean; ncp?: boolean; json?: boolean; output?: string; force?: boolean } & Partial<Record<IntKey, number>>;

const SCHEMA = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

/** The generated text and, for --output, the line that reports it. */
export async function runGenerate(o: GenerateCliOptions): Promise<{ text: string; summary: string }> {
  const { generateSize } = await import('../topology/generate.js');
  const overrides: Partial<GenerateOptions> = {};
  const args = [`--size ${o.size}`];
  for (const { flag, key } of GENERATE_INT_OPTIONS) {
    if (o[key] === undefined) continue;
    overrides[key] = o[key];
    args.push(`${flag} ${o[key]}`);
  }
  if (o.bgp === false) {
    overrides.bgp = false;
    args.push('--no-bgp');
  }
  if (o.routePolicy) {
    overrides.routePolicy = true;
    args.push('--route-policy');
  }
  if (o.ncp) {
    overrides.ncp = true;
    args.push('--ncp');
  }
  if (o.json) args.push('--json');
  let scenario;
  try {
    scenario = generateSize(o.size, overrides);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    // The generator names its options; say the flags instead.
    let message = e.message.replace(/^generate(Scenario|Size): /, '');
    for (const { flag, key } of [...GENERATE_INT_OPTIONS, { flag: '--route-policy', key: 'routePolicy' }, { flag: '--ncp', key: 'ncp' }, { flag: 'BGP (not --no-bgp)', key: 'bgp' }]) message = message.replace(new RegExp(`\\b${key}\\b`, 'g'), flag);
    throw new QueryError(`generate: ${message}`);
  }
  const counts = `${Object.keys(scenario.tier1s ?? {}).length} Tier-1s, ${Object.keys(scenario.segments ?? {}).length} segments, ${Object.keys(scenario.workloads ?? {}).length} workloads, ${Object.keys(scenario.avi?.virtualServices ?? {}).length} virtual services`;
  let text: string;
  if (o.json) text = JSON.stringify(scenario, null, 2) + '\n';
  else {
    const { toYaml } = await import('./yaml-writer.js');
    const where = o.output === undefined ? process.cwd() : dirname(resolve(o.output));
    const schema = relative(where, SCHEMA).split(sep).join('/');
    text = toYaml(scenario, [`# yaml-language-server: $schema=${schema}`, `# nsx-twin generate ${args.join(' ')} (the same command writes the same file)`]);
  }
  if (o.output !== undefined) write(o.output, text, !!o.force);
  return { text, summary: `${o.output}: ${scenario.name} (${counts}), ${text.length} bytes` };
}

function write(file: string, text: string, force: boolean): void {
  let fd: number;
  try {
    fd = openSync(file, force ? 'w' : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new QueryError(`generate: ${file} exists (use --force to overwrite it)`);
    throw new QueryError(`generate: cannot write ${file}: ${code ?? (e as Error).message}`);
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

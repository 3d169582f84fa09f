// Node-side loading (src/topology/load-file.ts): files from disk, `extends:` relative to the file
// that holds it, and the files are only read.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, ftruncateSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_SCENARIO_BYTES, loadScenarioFile } from '../../src/topology/load-file.js';
import { ScenarioError, formatProblem } from '../../src/topology/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'nsx-twin-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE = `transportNodes:
  esx-01: { type: host, tep: 10.0.20.11 }
tier1s:
  t1: { advertise: [TIER1_CONNECTED] }
segments:
  s1: { tier1: t1, gateway: 10.1.1.1/24 }
  s2: { tier1: t1, gateway: 10.1.2.1/24 }
workloads:
  vm1: { host: esx-01, segment: s1, ip: 10.1.1.10 }
`;

describe('loadScenarioFile', () => {
  mkdirSync(join(dir, 'common'));
  mkdirSync(join(dir, 'sites'));
  const base = join(dir, 'common', 'base.yaml');
  const site = join(dir, 'sites', 'site.yaml');
  writeFileSync(base, BASE);
  writeFileSync(site, 'extends: ../common/base.yaml\nname: site\nsegments:\n  s2: null\n');

  it('loads a file and the bases it extends, relative to the file', () => {
    const before = [statSync(base).mtimeMs, statSync(site).mtimeMs];
    const l = loadScenarioFile(site);
    expect(l.files).toHaveLength(2);
    expect(l.files[1].endsWith(join('common', 'base.yaml'))).toBe(true);
    expect(l.scenario.name).toBe('site');
    expect(Object.keys(l.scenario.segments!)).toEqual(['s1']);
    // Read only.
    expect(readFileSync(base, 'utf8')).toBe(BASE);
    expect([statSync(base).mtimeMs, statSync(site).mtimeMs]).toEqual(before);
  });

  it('a missing file is an io problem', () => {
    try {
      loadScenarioFile(join(dir, 'nope.yaml'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).problems).toEqual([expect.objectContaining({ code: 'io', path: '' })]);
    }
  });

  it('a missing base is reported on the extends line', () => {
    const f = join(dir, 'sites', 'broken.yaml');
    writeFileSync(f, 'name: broken\nextends: ../common/missing.yaml\n');
    try {
      loadScenarioFile(f);
      expect.unreachable();
    } catch (e) {
      expect((e as ScenarioError).problems).toEqual([expect.objectContaining({ code: 'extends', path: 'extends', line: 2 })]);
      expect((e as ScenarioError).problems[0].message).toContain('missing.yaml');
    }
  });
});

/** The problems loading `file` reports, formatted. */
function messages(file: string): string[] {
  try {
    loadScenarioFile(file);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error(`${file} loaded`);
}

describe('loadScenarioFile: what cannot be read says why', () => {
  const d = join(dir, 'io');
  mkdirSync(d);

  it('a missing file, a directory, a path through a file', () => {
    expect(messages(join(d, 'nope.yaml'))).toEqual([`${join(d, 'nope.yaml')}: cannot read file: no such file`]);
    expect(messages(d)).toEqual([`${d}: cannot read file: it is a directory`]);
    writeFileSync(join(d, 'plain.yaml'), BASE);
    expect(messages(join(d, 'plain.yaml', 'x.yaml'))[0]).toMatch(/cannot read file: a part of the path is not a directory$/);
  });

  // Regression: `extends: .` said `cannot read base scenario ""`.
  it('extends naming a directory says so', () => {
    const f = join(d, 'dot.yaml');
    writeFileSync(f, 'name: dot\nextends: .\n');
    expect(messages(f)).toEqual([`${f}: extends: cannot read base scenario ${JSON.stringify(d)}: it is a directory (line 2)`]);
  });

  // Regression: a UTF-16 file read as "a scenario is a map of sections".
  it('UTF-16 and UTF-32 (with or without byte-order mark) and invalid UTF-8 name the encoding; a UTF-8 BOM is fine', () => {
    const text = BASE.replace('transportNodes', 'name: enc\ntransportNodes');
    const cases: [string, Buffer, RegExp][] = [
      ['u16le.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), /cannot read file: it is UTF-16 LE text \(it starts with a UTF-16 LE byte-order mark\); save it as UTF-8$/],
      ['u16be.yaml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), /it is UTF-16 BE text/],
      ['u32le.yaml', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), /it is UTF-32 LE text/],
      ['u16-nobom.yaml', Buffer.from(text, 'utf16le'), /it contains NUL bytes \(the first at byte 1\); it looks like UTF-16 LE without a byte-order mark/],
      ['latin1.yaml', Buffer.from(`${text}description: caf\xe9\n`, 'latin1'), /it is not valid UTF-8 text .* \(line \d+\)$/],
    ];
    for (const [name, bytes, expected] of cases) {
      writeFileSync(join(d, name), bytes);
      const found = messages(join(d, name));
      expect(found, name).toHaveLength(1);
      expect(found[0], name).toMatch(expected);
    }
    writeFileSync(join(d, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(loadScenarioFile(join(d, 'bom.yaml')).scenario.name).toBe('enc');
  });

  it(`a file over ${MAX_SCENARIO_BYTES / 2 ** 20} MiB is refused before it is read`, () => {
    const f = join(d, 'huge.yaml');
    const fd = openSync(f, 'w');
    ftruncateSync(fd, MAX_SCENARIO_BYTES + 1); // sparse: no disk used
    closeSync(fd);
    expect(messages(f)).toEqual([`${f}: cannot read file: it is ${MAX_SCENARIO_BYTES + 1} bytes, over the 256 MiB limit for scenario files`]);
  });

  // Regression: a FIFO blocked forever and `extends: /dev/zero` read 4.2 GB and aborted. Run in a
  // child process so that a regression fails on the timeout instead of hanging the test run.
  it.skipIf(process.platform === 'win32')('a FIFO or a device, as the scenario or as its base, is refused at once', () => {
    const fifo = join(d, 'fifo.yaml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    writeFileSync(join(d, 'ext-fifo.yaml'), `extends: ${fifo}\n`);
    writeFileSync(join(d, 'ext-zero.yaml'), 'extends: /dev/zero\n');
    const loader = fileURLToPath(new URL('../../src/topology/load-file.ts', import.meta.url));
    const script = join(d, 'child.mts');
    writeFileSync(
      script,
      `import { loadScenarioFile } from ${JSON.stringify(loader)};
const out = [];
for (const f of process.argv.slice(2)) {
  try { loadScenarioFile(f); out.push('loaded'); } catch (e) { out.push(e.message); }
}
console.log(JSON.stringify(out));`,
    );
    const run = spawnSync(process.execPath, ['--import', 'tsx', script, fifo, join(d, 'ext-fifo.yaml'), join(d, 'ext-zero.yaml'), '/dev/zero'], { timeout: 20000, encoding: 'utf8' });
    expect(run.error, run.stderr).toBeUndefined();
    expect(JSON.parse(run.stdout)).toEqual([
      `${fifo}: cannot read file: it is a named pipe (FIFO), not a regular file`,
      `${join(d, 'ext-fifo.yaml')}: extends: cannot read base scenario ${JSON.stringify(fifo)}: it is a named pipe (FIFO), not a regular file (line 1)`,
      `${join(d, 'ext-zero.yaml')}: extends: cannot read base scenario "/dev/zero": it is a character device, not a regular file (line 1)`,
      '/dev/zero: cannot read file: it is a character device, not a regular file',
    ]);
  }, 30000);
});

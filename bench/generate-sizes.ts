// Section k of the benchmark suite: the preset sizes of `nsx-twin generate` (generateSize S, M,
// L: the realistic BGP shape). Per size: the generator's time, the YAML text's size and time
// (src/cli/yaml-writer.ts), loading it back (parse + validate: loadScenarioText) and building a
// Twin (realize, routes, BGP, compile) — for S and M by default; L's build with `--build-l` (it
// is what the engine's scale work is measured on; minutes before it).
import { Twin } from '../src/engine/twin.js';
import { generateSize, SIZES, type Size } from '../src/topology/generate.js';
import { loadScenarioText } from '../src/topology/load.js';
import { toYaml } from '../src/cli/yaml-writer.js';
import { bytes, int, line, ms, timed } from './util.js';

export function generateSizesSection(header: (title: string) => void, buildSizes: readonly Size[]): void {
  header('k. Generated sizes (nsx-twin generate --size S|M|L): generate, YAML, load + validate, build');
  for (const size of SIZES) {
    const gen = timed(() => generateSize(size));
    const s = gen.value;
    const count = (m: object | undefined) => Object.keys(m ?? {}).length;
    line(
      `${size}: generateSize`,
      `${ms(gen.ms)} — ${int(count(s.tier1s))} Tier-1s, ${int(count(s.segments))} segments, ${int(count(s.workloads))} workloads, ${int(count(s.avi?.virtualServices))} VSes, ${int(count(s.avi?.seGroups))} SE groups`,
    );
    const yaml = timed(() => toYaml(s, ['# yaml-language-server: $schema=schema/scenario.schema.json']));
    line(`${size}: YAML text`, `${ms(yaml.ms)}, ${bytes(yaml.value.length)}`);
    const load = timed(() => loadScenarioText(yaml.value, `generated-${size}.yaml`));
    line(`${size}: load + validate the YAML`, ms(load.ms));
    if (buildSizes.includes(size)) {
      const build = timed(() => new Twin(load.value.scenario));
      line(`${size}: build the Twin`, `${ms(build.ms)} (${int(build.value.bgpState.speakers.length)} BGP speakers)`);
    } else line(`${size}: build the Twin`, 'not run (--build-l)');
  }
}

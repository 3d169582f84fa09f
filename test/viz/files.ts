// The bundled files (scenarios/, labs/) as the app sees them, read from disk for tests.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function bundledFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.yaml') || f.endsWith('.json')) out[p.split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk('scenarios');
  walk('labs');
  return out;
}

// The installed command (bin/nsx-twin.js) writing into a pipe its reader closes early
// (`nsx-twin generate --size M | head`) stops quietly with exit 0: no EPIPE stack trace.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../golden/run-cli.js';

const BIN = join(REPO_ROOT, 'bin/nsx-twin.js');
const built = existsSync(join(REPO_ROOT, 'lib/cli/main.js'));

describe.skipIf(!built)('bin/nsx-twin.js and a closed pipe (needs lib/: npm run build:lib)', () => {
  it('stops quietly when the reader goes away', async () => {
    const child = spawn(process.execPath, [BIN, 'generate', '--size', 'M'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Read the first chunk, then close our end like `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error|    at /);
    expect(code).toBe(0);
  }, 60_000);
});

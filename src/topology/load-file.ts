// Node-side scenario loading: reads files from disk (never writes them) for the CLI and tests.
// Only regular files are read (a FIFO or a device such as /dev/zero is refused before any byte is
// read, and opening never blocks), up to MAX_SCENARIO_BYTES, decoded as UTF-8.
// Start-up: this module does not import yaml. Texts go through the fast path (parse.ts); the full
// parser is built from `yaml`, required synchronously, the first time a text or a line needs it.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve, relative, isAbsolute } from 'node:path';
import { loadScenario, type LoadedScenario } from './load-core.js';
import { ReadError } from './errors.js';
import { provideFullParser } from './parse.js';
import { fullParserWith, type YamlModule } from './parse-yaml.js';
import { decodeScenarioBytes } from './text-encoding.js';

// In Node, `yaml` resolves to the same CommonJS build for `import` and `require`.
provideFullParser(() => fullParserWith(createRequire(import.meta.url)('yaml') as YamlModule));

/** The largest scenario file read (the biggest generated fabrics are a few tens of MiB). */
export const MAX_SCENARIO_BYTES = 256 * 1024 * 1024;

export function loadScenarioFile(file: string): LoadedScenario {
  return loadScenario(file, {
    readText: readScenarioFile,
    resolve: (from, ref) => {
      const abs = isAbsolute(ref) ? ref : resolve(dirname(from), ref);
      const rel = relative(process.cwd(), abs);
      return rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
    },
  });
}

/** A scenario file's text; throws a ReadError saying why it cannot be read. */
export function readScenarioFile(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new ReadError(openFailure(e as NodeJS.ErrnoException));
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new ReadError(notRegular(st));
    if (st.size > MAX_SCENARIO_BYTES) throw tooBig(st.size);
    return decodeScenarioBytes(readAll(fd, st.size));
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError(openFailure(e as NodeJS.ErrnoException));
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end of the file, never more than MAX_SCENARIO_BYTES (a file may grow after fstat). */
function readAll(fd: number, expected: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let buf = Buffer.allocUnsafe(Math.min(expected + 1, MAX_SCENARIO_BYTES + 1));
  let used = 0;
  for (;;) {
    if (used === buf.length) {
      chunks.push(buf);
      buf = Buffer.allocUnsafe(1 << 20);
      used = 0;
    }
    const n = readSync(fd, buf, used, buf.length - used, null);
    if (n === 0) break;
    used += n;
    total += n;
    if (total > MAX_SCENARIO_BYTES) throw new ReadError(`it grew past the ${MAX_SCENARIO_BYTES / 2 ** 20} MiB limit for scenario files while being read`);
  }
  chunks.push(buf.subarray(0, used));
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

function tooBig(size: number): ReadError {
  return new ReadError(`it is ${size} bytes, over the ${MAX_SCENARIO_BYTES / 2 ** 20} MiB limit for scenario files`);
}

function notRegular(st: Stats): string {
  if (st.isDirectory()) return 'it is a directory';
  const kind = st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'a special file';
  return `it is ${kind}, not a regular file`;
}

function openFailure(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENXIO':
      return 'it is a socket or device, not a regular file';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return e.code ? `${e.code}: ${e.message}` : e.message;
  }
}

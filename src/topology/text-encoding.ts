// Scenario files are UTF-8 text: bytes become a string here, or a ReadError says what the bytes
// are instead (UTF-16/UTF-32 with a byte-order mark, NUL bytes, invalid UTF-8). Platform-neutral.
import { ReadError } from './errors.js';

const BOMS: [bytes: number[], name: string][] = [
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32 LE'],
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32 BE'],
  [[0xff, 0xfe], 'UTF-16 LE'],
  [[0xfe, 0xff], 'UTF-16 BE'],
];

/** Decodes a scenario file's bytes as UTF-8 (a UTF-8 byte-order mark is dropped). */
export function decodeScenarioBytes(bytes: Uint8Array): string {
  for (const [bom, name] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) throw new ReadError(`it is ${name} text (it starts with a ${name} byte-order mark); save it as UTF-8`);
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const nul = body.indexOf(0);
  if (nul >= 0) {
    // ASCII as UTF-16: every other byte is NUL, starting at byte 0 (BE) or 1 (LE).
    const utf16 = nul <= 1 && body[nul + 2] === 0 && body[nul + 1] !== 0;
    throw new ReadError(`it is not UTF-8 text: it contains NUL bytes (the first at byte ${nul + (body === bytes ? 0 : 3)})${utf16 ? `; it looks like UTF-16 ${nul === 0 ? 'BE' : 'LE'} without a byte-order mark — save it as UTF-8` : ''}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const loose = new TextDecoder('utf-8').decode(body);
    const at = loose.indexOf('\uFFFD');
    const line = at >= 0 ? lineCount(loose, at) : undefined;
    throw new ReadError('it is not valid UTF-8 text (another encoding such as Latin-1?); save it as UTF-8', line);
  }
}

/**
 * The same checks for text that was already decoded (the browser's file reader): a leading
 * byte-order mark is dropped; NUL characters mean the bytes were not UTF-8 text.
 */
export function checkScenarioText(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const nul = body.indexOf('\0');
  if (nul >= 0) throw new ReadError('it is not UTF-8 text: it contains NUL characters (UTF-16 or a binary file?); save it as UTF-8', lineCount(body, nul));
  return body;
}

function lineCount(text: string, upTo: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < upTo; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

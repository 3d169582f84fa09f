// IPv4 address and prefix helpers: parsing user text (via ipaddr.js) into 32-bit unsigned integers,
// and formatting integers back. Every engine structure keys on these integers, never on strings.
import ipaddr from 'ipaddr.js';

/** An IPv4 prefix as integers: network address (host bits zero) and length. */
export interface Prefix {
  readonly addr: number;
  readonly len: number;
}

/** An interface address: the address itself plus its prefix length (e.g. 10.0.0.1/24). */
export interface IfAddr {
  readonly ip: number;
  readonly len: number;
}

/** 0.0.0.0/0: matches every address. */
export const ANY_PREFIX: Prefix = { addr: 0, len: 0 };

export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Parses a dotted-quad IPv4 address; returns null when the text is not one. */
export function parseIp(text: unknown): number | null {
  // Hot path (a million workloads are a million addresses): one pass over the characters,
  // accepting exactly what ipaddr.js's isValidFourPartDecimal accepts — four decimal parts
  // 0-255 without leading zeros (test/topology/ip.test.ts checks both agree).
  return typeof text === 'string' ? parseIpIn(text, 0, text.length) : null;
}

/** The reference parser (ipaddr.js), for tests of parseIp. */
export function parseIpReference(text: unknown): number | null {
  if (typeof text !== 'string' || !ipaddr.IPv4.isValidFourPartDecimal(text)) return null;
  const b = ipaddr.IPv4.parse(text).octets;
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

function splitCidr(text: unknown): { ip: number; len: number } | null {
  if (typeof text !== 'string') return null;
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const ip = parseIp(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (ip === null || !/^\d{1,2}$/.test(lenText)) return null;
  const len = Number(lenText);
  if (len > 32) return null;
  return { ip, len };
}

/**
 * Parses a network prefix such as "10.146.50.0/24". Host bits must be zero: "10.146.50.1/24" is
 * rejected (null) rather than silently rounded, so nothing a user wrote is rewritten.
 */
export function parsePrefix(text: unknown): Prefix | null {
  const p = splitCidr(text);
  if (!p || (p.ip & ~maskOf(p.len)) >>> 0 !== 0) return null;
  return { addr: p.ip, len: p.len };
}

/** True when the text is CIDR-shaped but has host bits set (for a precise error message). */
export function hasHostBits(text: unknown): boolean {
  const p = splitCidr(text);
  return !!p && (p.ip & ~maskOf(p.len)) >>> 0 !== 0;
}

/** Parses an interface address such as "10.146.50.1/24" (host bits expected). */
export function parseIfAddr(text: unknown): IfAddr | null {
  const p = splitCidr(text);
  return p ? { ip: p.ip, len: p.len } : null;
}

export function formatIp(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function formatPrefix(p: Prefix): string {
  return `${formatIp(p.addr)}/${p.len}`;
}

export function networkOf(a: IfAddr): Prefix {
  return { addr: (a.ip & maskOf(a.len)) >>> 0, len: a.len };
}

export function contains(p: Prefix, ip: number): boolean {
  return ((ip & maskOf(p.len)) >>> 0) === p.addr;
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  const len = Math.min(a.len, b.len);
  const m = maskOf(len);
  return ((a.addr & m) >>> 0) === ((b.addr & m) >>> 0);
}

/** Network or broadcast address of a subnet shorter than /31 (not assignable to a host). */
export function isReservedHost(a: IfAddr): boolean {
  if (a.len >= 31) return false;
  const net = (a.ip & maskOf(a.len)) >>> 0;
  const bcast = (net | ~maskOf(a.len)) >>> 0;
  return a.ip === net || a.ip === bcast;
}

/** A prefix as one number (address × 64 + length): a key for sets and maps of prefixes. */
export function prefixKey(p: Prefix): number {
  return (p.addr >>> 0) * 64 + p.len;
}

/** The prefix of a prefixKey. */
export function prefixOfKey(k: number): Prefix {
  return { addr: Math.floor(k / 64), len: k % 64 };
}

/** The prefixes of a set of prefixKeys, in table order (comparePrefix). */
export function sortedPrefixes(keys: Iterable<number>): Prefix[] {
  return Array.from(keys, prefixOfKey).sort(comparePrefix);
}

export function comparePrefix(a: Prefix, b: Prefix): number {
  return a.addr !== b.addr ? a.addr - b.addr : a.len - b.len;
}

export function samePrefix(a: Prefix, b: Prefix): boolean {
  return a.addr === b.addr && a.len === b.len;
}

/** A dotted-quad address in text[start, end), without slicing (parseIp's rules), or null. */
function parseIpIn(text: string, start: number, end: number): number | null {
  let ip = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || ++parts > 4) return null;
      ip = ip * 256 + part;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return null;
      part = part * 10 + (c - 48);
      if (part > 255) return null;
      digits++;
    } else return null;
  }
  return parts === 4 ? ip : null;
}

/**
 * Allocation-free form of the "a.b.c.d/len" parse behind parsePrefix, parseIfAddr and
 * hasHostBits: writes the address to out[0] and the length to out[1] and returns true, or
 * returns false when the text is not that shape (hot validation loops: no object per address).
 */
export function parseCidrInto(text: unknown, out: Uint32Array): boolean {
  if (typeof text !== 'string') return false;
  const slash = text.indexOf('/');
  if (slash < 0) return false;
  const n = text.length - slash - 1;
  if (n < 1 || n > 2) return false;
  let len = 0;
  for (let i = slash + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    len = len * 10 + (c - 48);
  }
  if (len > 32) return false;
  const ip = parseIpIn(text, 0, slash);
  if (ip === null) return false;
  out[0] = ip;
  out[1] = len;
  return true;
}

/** Network or broadcast address of a subnet shorter than /31 (isReservedHost without an object). */
export function isReservedHostOf(ip: number, len: number): boolean {
  if (len >= 31) return false;
  const net = (ip & maskOf(len)) >>> 0;
  const bcast = (net | ~maskOf(len)) >>> 0;
  return ip === net || ip === bcast;
}

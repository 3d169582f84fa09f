// IPv4 helpers (src/topology/ip.ts): parsing to unsigned 32-bit integers, formatting back, and the
// prefix predicates the validator and the engine rely on.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  comparePrefix,
  contains,
  formatIp,
  formatPrefix,
  hasHostBits,
  isReservedHost,
  maskOf,
  networkOf,
  overlaps,
  parseIfAddr,
  parseIp,
  parseIpReference,
  parsePrefix,
} from '../../src/topology/ip.js';

const p = (s: string) => parsePrefix(s)!;
const ip = (s: string) => parseIp(s)!;

describe('parseIp', () => {
  it('parses dotted quads to unsigned integers', () => {
    expect(parseIp('0.0.0.0')).toBe(0);
    expect(parseIp('10.146.50.1')).toBe(10 * 2 ** 24 + 146 * 2 ** 16 + 50 * 256 + 1);
    expect(parseIp('128.0.0.0')).toBe(2 ** 31);
    expect(parseIp('255.255.255.255')).toBe(2 ** 32 - 1);
  });

  it('rejects anything that is not exactly four decimal octets', () => {
    for (const bad of ['', '10.0.0', '10.0.0.0.0', '256.0.0.1', '10.0.0.-1', '1.2.3.4/32', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d', '0x0a.0.0.1', '010.0.0.1', '1..2.3', '::1']) {
      expect(parseIp(bad), bad).toBeNull();
    }
  });

  it('rejects non-strings', () => {
    for (const bad of [undefined, null, 167772161, {}, ['10.0.0.1'], true]) expect(parseIp(bad)).toBeNull();
  });

  it('accepts exactly what ipaddr.js accepts (the hand-written hot path against the library)', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('', '00', '01', '-1', '0x1', ' 1', '1 ', '+1', '1e2', '٣'));
    const text = fc.oneof(
      fc.array(octet, { minLength: 1, maxLength: 6 }).map((a) => a.join('.')),
      fc.string({ maxLength: 16 }),
      fc.stringMatching(/^[0-9.]{0,18}$/),
    );
    fc.assert(fc.property(text, (t) => parseIp(t) === parseIpReference(t)), { seed: 3, numRuns: 5000 });
  });
});

describe('parsePrefix', () => {
  it('parses network prefixes', () => {
    expect(parsePrefix('10.146.50.0/24')).toEqual({ addr: ip('10.146.50.0'), len: 24 });
    expect(parsePrefix('0.0.0.0/0')).toEqual({ addr: 0, len: 0 });
    expect(parsePrefix('255.255.255.255/32')).toEqual({ addr: 2 ** 32 - 1, len: 32 });
    expect(parsePrefix('100.64.0.4/31')).toEqual({ addr: ip('100.64.0.4'), len: 31 });
  });

  it('rejects host bits instead of rounding them away', () => {
    expect(parsePrefix('10.146.50.1/24')).toBeNull();
    expect(parsePrefix('11.0.0.0/7')).toBeNull();
    expect(parsePrefix('10.0.0.0/7')).toEqual({ addr: ip('10.0.0.0'), len: 7 });
    expect(parsePrefix('1.0.0.0/0')).toBeNull();
    expect(parsePrefix('100.64.0.5/31')).toBeNull();
    expect(hasHostBits('10.146.50.1/24')).toBe(true);
    expect(hasHostBits('10.146.50.0/24')).toBe(false);
    expect(hasHostBits('garbage')).toBe(false);
  });

  it('rejects malformed prefixes', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0.0/ 8', '10.0.0/8', '/8', '10.0.0.0/100', 42, null]) {
      expect(parsePrefix(bad), String(bad)).toBeNull();
    }
  });
});

describe('parseIfAddr', () => {
  it('keeps the host part (an interface address)', () => {
    expect(parseIfAddr('10.146.50.1/24')).toEqual({ ip: ip('10.146.50.1'), len: 24 });
    expect(parseIfAddr('192.0.2.1/30')).toEqual({ ip: ip('192.0.2.1'), len: 30 });
    expect(parseIfAddr('10.0.0.0/8')).toEqual({ ip: ip('10.0.0.0'), len: 8 });
  });

  it('rejects malformed addresses', () => {
    for (const bad of ['10.146.50.1', '10.146.50.1/33', '300.1.1.1/24', '', undefined]) expect(parseIfAddr(bad)).toBeNull();
  });

  it('networkOf clears the host bits', () => {
    expect(networkOf(parseIfAddr('10.146.50.77/24')!)).toEqual(p('10.146.50.0/24'));
    expect(networkOf(parseIfAddr('10.146.50.77/0')!)).toEqual(p('0.0.0.0/0'));
    expect(networkOf(parseIfAddr('10.146.50.77/32')!)).toEqual(p('10.146.50.77/32'));
  });
});

describe('formatting', () => {
  it('formats integers and prefixes back to text', () => {
    expect(formatIp(0)).toBe('0.0.0.0');
    expect(formatIp(2 ** 32 - 1)).toBe('255.255.255.255');
    expect(formatIp(ip('10.146.50.1'))).toBe('10.146.50.1');
    expect(formatPrefix(p('169.254.0.128/25'))).toBe('169.254.0.128/25');
    expect(formatPrefix({ addr: 0, len: 0 })).toBe('0.0.0.0/0');
  });

  it('round-trips every address and prefix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (a, len) => {
        expect(parseIp(formatIp(a))).toBe(a);
        const net = { addr: (a & maskOf(len)) >>> 0, len };
        expect(parsePrefix(formatPrefix(net))).toEqual(net);
      }),
    );
  });

  it('maskOf covers /0 and /32', () => {
    expect(maskOf(0)).toBe(0);
    expect(maskOf(1)).toBe(0x80000000);
    expect(maskOf(24)).toBe(0xffffff00);
    expect(maskOf(32)).toBe(0xffffffff);
  });
});

describe('contains / overlaps / comparePrefix', () => {
  it('contains: the network, the broadcast address and nothing outside', () => {
    const net = p('10.146.50.0/24');
    expect(contains(net, ip('10.146.50.0'))).toBe(true);
    expect(contains(net, ip('10.146.50.255'))).toBe(true);
    expect(contains(net, ip('10.146.51.0'))).toBe(false);
    expect(contains(net, ip('10.146.49.255'))).toBe(false);
    expect(contains(p('0.0.0.0/0'), ip('255.255.255.255'))).toBe(true);
    expect(contains(p('255.255.255.255/32'), ip('255.255.255.255'))).toBe(true);
    expect(contains(p('255.255.255.255/32'), ip('255.255.255.254'))).toBe(false);
    expect(contains(p('128.0.0.0/1'), ip('127.255.255.255'))).toBe(false);
  });

  it('overlaps: nested either way, equal, adjacent and disjoint', () => {
    expect(overlaps(p('10.0.0.0/8'), p('10.1.0.0/16'))).toBe(true);
    expect(overlaps(p('10.1.0.0/16'), p('10.0.0.0/8'))).toBe(true);
    expect(overlaps(p('10.1.0.0/16'), p('10.1.0.0/16'))).toBe(true);
    expect(overlaps(p('10.0.0.0/24'), p('10.0.1.0/24'))).toBe(false);
    expect(overlaps(p('10.0.0.0/8'), p('11.0.0.0/8'))).toBe(false);
    expect(overlaps(p('0.0.0.0/0'), p('203.0.113.0/24'))).toBe(true);
  });

  it('overlaps agrees with "some address is in both"', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 20, max: 32 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 20, max: 32 }), (a, la, b, lb) => {
        const pa = { addr: (a & maskOf(la)) >>> 0, len: la };
        const pb = { addr: (b & maskOf(lb)) >>> 0, len: lb };
        const shorter = la <= lb ? pa : pb;
        const longer = la <= lb ? pb : pa;
        expect(overlaps(pa, pb)).toBe(contains(shorter, longer.addr));
      }),
    );
  });

  it('comparePrefix orders by address, then length', () => {
    const list = ['10.0.0.0/16', '10.0.0.0/8', '9.0.0.0/8', '200.0.0.0/8', '10.0.1.0/24'].map(p);
    list.sort(comparePrefix);
    expect(list.map(formatPrefix)).toEqual(['9.0.0.0/8', '10.0.0.0/8', '10.0.0.0/16', '10.0.1.0/24', '200.0.0.0/8']);
  });
});

describe('isReservedHost', () => {
  it('flags the network and broadcast addresses of subnets shorter than /31', () => {
    expect(isReservedHost(parseIfAddr('10.146.50.0/24')!)).toBe(true);
    expect(isReservedHost(parseIfAddr('10.146.50.255/24')!)).toBe(true);
    expect(isReservedHost(parseIfAddr('10.146.50.1/24')!)).toBe(false);
    expect(isReservedHost(parseIfAddr('10.146.50.254/24')!)).toBe(false);
    expect(isReservedHost(parseIfAddr('192.0.2.0/30')!)).toBe(true);
    expect(isReservedHost(parseIfAddr('192.0.2.3/30')!)).toBe(true);
    expect(isReservedHost(parseIfAddr('192.0.2.2/30')!)).toBe(false);
  });

  it('allows both addresses of a /31 and the single address of a /32 (RFC 3021)', () => {
    expect(isReservedHost(parseIfAddr('100.64.0.0/31')!)).toBe(false);
    expect(isReservedHost(parseIfAddr('100.64.0.1/31')!)).toBe(false);
    expect(isReservedHost(parseIfAddr('10.0.0.7/32')!)).toBe(false);
  });
});

/**
 * IP addresses as Go's net/netip reads and prints them. ipaddr.js is not used for parsing:
 * it accepts forms Go refuses ("1.2.3", "0x7f.0.0.1", "01.2.3.4", "fe80::1%eth0" for
 * net.ParseIP), and those answers are visible through IsIP, IpInRange and IpToRange.
 */

export interface GoAddr {
  /** Always the 16-byte form; IPv4 addresses are stored v4-mapped. */
  readonly bytes: Uint8Array;
  /** Parsed from dotted IPv4 text (netip z4), as opposed to IPv6 text. */
  readonly is4: boolean;
  readonly zone: string;
}

function parseIPv4Fields(s: string, from: number, to: number, out: Uint8Array, at: number): boolean {
  let val = 0;
  let digits = 0;
  let fields = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && val === 0) return false; // leading zero
      val = val * 10 + (c - 48);
      digits++;
      if (val > 255) return false;
    } else if (c === 46) {
      if (i === from || i === to - 1 || s.charCodeAt(i - 1) === 46) return false;
      if (fields === 3) return false;
      out[at + fields++] = val;
      val = 0;
      digits = 0;
    } else return false;
  }
  if (fields < 3 || digits === 0) return false;
  out[at + fields] = val;
  return true;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function parseIPv6(input: string): GoAddr | undefined {
  let s = input;
  let zone = "";
  const pct = s.indexOf("%");
  if (pct >= 0) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === "") return undefined;
  }
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  let p = 0;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    p = 2;
    if (p === s.length) return { bytes: ip, is4: false, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = p;
    let acc = 0;
    for (; off < s.length; off++) {
      const h = hexVal(s.charCodeAt(off));
      if (h < 0) break;
      acc = acc * 16 + h;
      if (off - p > 3 || acc > 0xffff) return undefined;
    }
    if (off === p) return undefined;
    if (off < s.length && s[off] === ".") {
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      if (!parseIPv4Fields(s, p, s.length, ip, i)) return undefined;
      p = s.length;
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    p = off;
    if (p === s.length) break;
    if (s[p] !== ":" || p + 1 === s.length) return undefined;
    p++;
    if (s[p] === ":") {
      if (ellipsis >= 0) return undefined;
      ellipsis = i;
      p++;
      if (p === s.length) break;
    }
  }
  if (p !== s.length) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) return undefined;
  return { bytes: ip, is4: false, zone };
}

/** Go netip.ParseAddr (zones allowed on IPv6). */
export function parseGoAddr(s: string): GoAddr | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      const bytes = new Uint8Array(16);
      bytes[10] = 0xff;
      bytes[11] = 0xff;
      return parseIPv4Fields(s, 0, s.length, bytes, 12) ? { bytes, is4: true, zone: "" } : undefined;
    }
    if (c === 58) return parseIPv6(s);
    if (c === 37) return undefined;
  }
  return undefined;
}

/** Go net.ParseIP: the 16-byte form, or undefined (zones refused). */
export function parseGoIP(s: string): Uint8Array | undefined {
  const a = parseGoAddr(s);
  return a && a.zone === "" ? a.bytes : undefined;
}

/** Go net.IP.To4: whether the 16 bytes hold an IPv4 (v4-mapped) address. */
export function isV4Mapped(b: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

function maskBytes(bits: number, len: number): Uint8Array {
  const m = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const take = Math.max(0, Math.min(8, bits - i * 8));
    m[i] = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
  }
  return m;
}

export interface GoIPNet {
  /** Network number and mask as net.IPNet.Contains compares them (4 or 16 bytes each). */
  readonly ip: Uint8Array;
  readonly mask: Uint8Array;
}

const DECIMAL = /^\d+$/;

/** Go net.ParseCIDR, reduced to what Contains needs. */
export function parseGoCIDR(s: string): GoIPNet | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const addr = parseGoAddr(s.slice(0, slash));
  const maskText = s.slice(slash + 1);
  if (!addr || addr.zone !== "" || !DECIMAL.test(maskText) || maskText.length > 7) return undefined;
  const bits = Number(maskText);
  const bitLen = addr.is4 ? 32 : 128;
  if (bits > bitLen) return undefined;
  let ip: Uint8Array;
  let mask: Uint8Array;
  if (addr.is4) {
    mask = maskBytes(bits, 4);
    ip = addr.bytes.slice(12).map((b, i) => b & mask[i]!);
  } else {
    const m16 = maskBytes(bits, 16);
    const masked = addr.bytes.map((b, i) => b & m16[i]!);
    if (isV4Mapped(masked)) {
      ip = masked.slice(12);
      mask = m16.slice(12);
    } else {
      ip = masked;
      mask = m16;
    }
  }
  return { ip, mask };
}

/** Go net.IPNet.Contains for a 16-byte address. */
export function goCIDRContains(n: GoIPNet, ip16: Uint8Array): boolean {
  // a v4-mapped address compares its last 4 bytes (no subarray: this runs per event)
  const from = isV4Mapped(ip16) ? 12 : 0;
  const len = ip16.length - from;
  if (len !== n.ip.length) return false;
  for (let i = 0; i < len; i++) if ((n.ip[i]! & n.mask[i]!) !== (ip16[from + i]! & n.mask[i]!)) return false;
  return true;
}

/** netip.Addr.String without zone. */
export function formatGoAddr(bytes: Uint8Array, is4: boolean): string {
  if (is4) return `${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  if (isV4Mapped(bytes)) return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let zeroStart = -1;
  let zeroLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > zeroLen) {
      zeroStart = i;
      zeroLen = j - i;
    }
  }
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (i === zeroStart) {
      out += "::";
      i += zeroLen - 1;
      continue;
    }
    if (i > 0 && !out.endsWith(":")) out += ":";
    out += groups[i]!.toString(16);
  }
  return out;
}

/** netip.Addr.Prefix(bits).String(), or a reason when Go reports an error. */
export function goPrefixString(addr: GoAddr, bits: number): string | { error: string } {
  if (bits < 0) return { error: "negative Prefix bits" };
  const max = addr.is4 ? 32 : 128;
  if (bits > max) return { error: `prefix length ${bits} too large for ${addr.is4 ? "IPv4" : "IPv6"}` };
  const m = maskBytes(addr.is4 ? bits + 96 : bits, 16);
  const masked = addr.bytes.map((b, i) => b & m[i]!);
  return `${formatGoAddr(masked, addr.is4)}/${bits}`;
}

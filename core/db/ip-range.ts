/**
 * IP addresses and CIDR ranges in CrowdSec's integer encoding (LAPI.md §10.2): each unsigned
 * 64-bit half is shifted into a signed int64 so that SQL `<`/`>` on the stored columns compare
 * addresses in order.
 */
import { isV4Mapped, parseGoAddr } from "../net";
import { err, ok, type Result } from "../result";
import type { IpRange, StoreProblem } from "./types";

const MAX_INT64 = (1n << 63n) - 1n;
const DECIMAL = /^\d{1,3}$/;

/**
 * As upstream pkg/types/ip.go uint2int: `u - (2^63-1)`, except 2^64-1, which would overflow and
 * is clamped to 2^63-1 (so 2^64-2 and 2^64-1 share a value, as in CrowdSec's tables).
 */
export function encodeUint64(u: bigint): bigint {
  const v = u - MAX_INT64;
  return v > MAX_INT64 ? MAX_INT64 : v;
}

function readUint64(bytes: Uint8Array, from: number): bigint {
  let v = 0n;
  for (let i = from; i < from + 8; i++) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

function readUint32(bytes: Uint8Array, from: number): bigint {
  return BigInt(((bytes[from]! << 24) >>> 0) + (bytes[from + 1]! << 16) + (bytes[from + 2]! << 8) + bytes[from + 3]!);
}

function rangeOfBytes(first: Uint8Array, last: Uint8Array): IpRange {
  if (isV4Mapped(first) && isV4Mapped(last)) {
    const zero = encodeUint64(0n);
    return {
      size: 4,
      startIp: encodeUint64(readUint32(first, 12)),
      endIp: encodeUint64(readUint32(last, 12)),
      startSuffix: zero,
      endSuffix: zero,
    };
  }
  return {
    size: 16,
    startIp: encodeUint64(readUint64(first, 0)),
    endIp: encodeUint64(readUint64(last, 0)),
    startSuffix: encodeUint64(readUint64(first, 8)),
    endSuffix: encodeUint64(readUint64(last, 8)),
  };
}

function invalid(text: string): Result<never, StoreProblem> {
  return err({ code: "invalid", message: `Invalid IP address or range "${text}"` });
}

/**
 * An IP (start = end) or a CIDR (network address normalised, as Go's net.ParseCIDR) in the
 * encoding of LAPI.md §10.2. IPv4 and IPv4-mapped IPv6 give size 4; a mapped CIDR counts its
 * prefix from bit 96 (`::ffff:10.0.0.0/104` is `10.0.0.0/8`), where upstream 1.4.6 mixed a
 * 16-byte mask with a 4-byte address and stored a single address.
 */
export function parseIpOrRange(text: string): Result<IpRange, StoreProblem> {
  const slash = text.indexOf("/");
  if (slash < 0) {
    const addr = parseGoAddr(text);
    if (!addr || addr.zone !== "") return invalid(text);
    return ok(rangeOfBytes(addr.bytes, addr.bytes));
  }
  const addr = parseGoAddr(text.slice(0, slash));
  const bitsText = text.slice(slash + 1);
  if (!addr || addr.zone !== "" || !DECIMAL.test(bitsText)) return invalid(text);
  const bits = Number(bitsText);
  if (bits > (addr.is4 ? 32 : 128)) return invalid(text);
  // IPv4 text lives in its v4-mapped 16-byte form: its prefix counts from bit 96
  const bits16 = addr.is4 ? bits + 96 : bits;
  const first = new Uint8Array(16);
  const last = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const take = Math.max(0, Math.min(8, bits16 - i * 8));
    const mask = take === 0 ? 0 : (0xff << (8 - take)) & 0xff;
    first[i] = addr.bytes[i]! & mask;
    last[i] = first[i]! | (~mask & 0xff);
  }
  // a prefix shorter than 96 bits over a mapped address spans more than IPv4: size 16
  return ok(rangeOfBytes(first, last));
}

/** The range a decision of this scope and value covers: Ip/Range (any case) only, else null. */
export function rangeForDecision(scope: string, value: string): Result<IpRange | null, StoreProblem> {
  const folded = scope.toLowerCase();
  if (folded !== "ip" && folded !== "range") return ok(null);
  return parseIpOrRange(value);
}

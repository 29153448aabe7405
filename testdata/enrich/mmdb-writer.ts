/**
 * A minimal MaxMind DB (format 2.0) writer for test fixtures: 24-bit records, IPv6 tree with IPv4
 * networks under ::/96, no record sharing. Enough to build small GeoLite2-City / GeoLite2-ASN look-
 * alikes (hubtest's geoip-enrich expects 1.2.3.4 → FR, AS 4242 "Crowdsec", 1.2.3.0/24) without
 * shipping binary files. Spec: https://maxmind.github.io/MaxMind-DB/
 */

/** A value to store. Integers become uint32, other numbers doubles; `{ double: n }` forces a double. */
export type MmdbValue = string | number | boolean | { readonly double: number } | readonly MmdbValue[] | { readonly [key: string]: MmdbValue };

export interface MmdbNetwork {
  /** "1.2.3.0/24" or "2001:db8::/32". */
  readonly cidr: string;
  readonly data: MmdbValue;
}

export interface MmdbSpec {
  readonly databaseType: string;
  readonly networks: readonly MmdbNetwork[];
}

type Rec = { kind: "empty" } | { kind: "node"; index: number } | { kind: "data"; offset: number };

function prefixBits(cidr: string): number[] {
  const [addr, lenText] = cidr.split("/");
  const len = Number(lenText);
  const bits: number[] = [];
  if (addr!.includes(":")) {
    const [head, tail] = addr!.split("::");
    const h = head ? head.split(":") : [];
    const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    for (const g of groups) for (let b = 15; b >= 0; b--) bits.push((parseInt(g, 16) >> b) & 1);
    return bits.slice(0, len);
  }
  for (let i = 0; i < 96; i++) bits.push(0);
  for (const octet of addr!.split(".")) for (let b = 7; b >= 0; b--) bits.push((Number(octet) >> b) & 1);
  return bits.slice(0, 96 + len);
}

function control(type: number, size: number): number[] {
  const out: number[] = [];
  let sizeBits: number;
  const extra: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) {
    sizeBits = 29;
    extra.push(size - 29);
  } else {
    sizeBits = 30;
    const v = size - 285;
    extra.push((v >> 8) & 0xff, v & 0xff);
  }
  if (type <= 7) out.push((type << 5) | sizeBits);
  else out.push(sizeBits, type - 7);
  return [...out, ...extra];
}

function uintBytes(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v > 0) {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  }
  return out;
}

function encode(v: MmdbValue): number[] {
  if (typeof v === "string") {
    const bytes = [...new TextEncoder().encode(v)];
    return [...control(2, bytes.length), ...bytes];
  }
  if (typeof v === "boolean") return control(14, v ? 1 : 0);
  if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v < 2 ** 32) {
    const bytes = uintBytes(v);
    return [...control(6, bytes.length), ...bytes];
  }
  if (typeof v === "number" || (typeof v === "object" && !Array.isArray(v) && "double" in v && typeof v.double === "number")) {
    const d = typeof v === "number" ? v : (v as { double: number }).double;
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, d);
    return [...control(3, 8), ...new Uint8Array(buf.buffer)];
  }
  if (Array.isArray(v)) return [...control(11, v.length), ...v.flatMap(encode)];
  const entries = Object.entries(v as Record<string, MmdbValue>);
  return [...control(7, entries.length), ...entries.flatMap(([k, x]) => [...encode(k), ...encode(x)])];
}

/** Builds the database bytes. */
export function writeMmdb(spec: MmdbSpec): Uint8Array {
  const nodes: [Rec, Rec][] = [[{ kind: "empty" }, { kind: "empty" }]];
  const data: number[] = [];
  for (const net of spec.networks) {
    const bits = prefixBits(net.cidr);
    const offset = data.length;
    data.push(...encode(net.data));
    let node = 0;
    for (let i = 0; i < bits.length; i++) {
      const bit = bits[i]!;
      if (i === bits.length - 1) {
        nodes[node]![bit] = { kind: "data", offset };
        break;
      }
      const rec = nodes[node]![bit];
      if (rec.kind === "node") node = rec.index;
      else {
        nodes.push([{ kind: "empty" }, { kind: "empty" }]);
        nodes[node]![bit] = { kind: "node", index: nodes.length - 1 };
        node = nodes.length - 1;
      }
    }
  }
  const count = nodes.length;
  const tree: number[] = [];
  for (const pair of nodes) {
    for (const rec of pair) {
      const v = rec.kind === "empty" ? count : rec.kind === "node" ? rec.index : count + 16 + rec.offset;
      tree.push((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    }
  }
  const metadata = encode({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1700000000,
    database_type: spec.databaseType,
    description: { en: "picket test fixture" },
    ip_version: 6,
    languages: ["en"],
    node_count: count,
    record_size: 24,
  });
  const marker = [0xab, 0xcd, 0xef, ...new TextEncoder().encode("MaxMind.com")];
  return new Uint8Array([...tree, ...new Array(16).fill(0), ...data, ...marker, ...metadata]);
}

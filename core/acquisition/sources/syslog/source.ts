/**
 * The `syslog` datasource: a UDP server as upstream (one datagram = one message, cut at
 * `max_message_len`), plus, with `protocol: tcp`, a TCP listener on the same address and port
 * taking RFC 6587 octet-counting (`LEN SP MSG`) or newline-delimited frames. Each message is
 * parsed (RFC 3164, then RFC 5424) and rebuilt into the line hub parsers expect; a message that
 * parses as neither is counted and dropped, never fatal.
 */
import type { Socket, TCPSocketListener, udp } from "bun";
import { GoTime } from "../../../expr";
import { lineEvent, pushWarning, SourceCounters, type CommonConfig, type DataSource, type EventSink } from "../types";
import { buildSyslogLine, parseSyslog, stripPri } from "./parse";

export interface SyslogSourceConfig {
  readonly listenAddr: string;
  /** 0 picks a free port (tests); `ports()` tells which. */
  readonly listenPort: number;
  readonly maxMessageLen: number;
  readonly tcp: boolean;
  readonly disableRfcParser: boolean;
}

interface Connection {
  buf: Uint8Array;
  /** Bytes of an octet-counted frame still to skip past the bound. */
  skip: number;
  /** Discarding the rest of an over-long newline-framed message. */
  discarding: boolean;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

export class SyslogSource implements DataSource {
  readonly module = "syslog";
  readonly counters = new SourceCounters();
  readonly warnings: string[] = [];
  /** Parsed messages per format (upstream `cs_syslogsource_parsed_total{type}`). */
  readonly parsed = { rfc3164: 0, rfc5424: 0 };
  private udp: udp.Socket<"uint8array"> | undefined;
  private tcp: TCPSocketListener<Connection> | undefined;
  private sink: EventSink | undefined;
  /** Set while the sink asked to wait: UDP messages are dropped (counted) until it resolves. */
  private blocked: Promise<void> | undefined;
  private finished: (() => void) | undefined;
  private readonly paused = new Set<Socket<Connection>>();
  private stopped = false;

  constructor(
    readonly config: CommonConfig,
    readonly syslog: SyslogSourceConfig,
  ) {}

  /** Bound ports, once started. */
  ports(): { udp?: number; tcp?: number } {
    return { udp: this.udp?.port, tcp: this.tcp?.port };
  }

  async start(sink: EventSink, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.sink = sink;
    const { listenAddr: hostname, listenPort: port } = this.syslog;
    this.udp = await Bun.udpSocket({
      hostname,
      port,
      binaryType: "uint8array",
      socket: {
        data: (_s, data, _port, address) => this.onDatagram(data, address),
      },
    });
    if (this.syslog.tcp) {
      this.tcp = Bun.listen<Connection>({
        hostname,
        port: port === 0 ? this.udp.port : port,
        socket: {
          open: (s) => {
            s.data = { buf: new Uint8Array(0), skip: 0, discarding: false };
          },
          data: (s, chunk) => this.onTcpData(s, chunk),
          close: (s) => this.onTcpClose(s),
          error: (_s, e) => pushWarning(this.warnings, `Syslog TCP connection error: ${e.message}`),
        },
      });
    }
    if (signal.aborted || this.stopped) {
      await this.stop();
      return;
    }
    await new Promise<void>((resolve) => {
      this.finished = resolve;
      signal.addEventListener("abort", () => void this.stop(), { once: true });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.udp?.close();
    this.udp = undefined;
    this.tcp?.stop(true);
    this.tcp = undefined;
    this.finished?.();
    this.finished = undefined;
  }

  private onDatagram(data: Uint8Array, address: string): void {
    const max = this.syslog.maxMessageLen;
    if (data.length > max) {
      this.counters.drop("truncated");
      data = data.subarray(0, max);
    }
    this.handle(decoder.decode(data), address);
  }

  /** One message → one event, unless it is garbage (counted) or the sink is full (counted). */
  private handle(text: string, client: string, from?: Socket<Connection>): void {
    this.counters.hit(client);
    let line: string;
    if (this.syslog.disableRfcParser) {
      const rest = stripPri(text);
      if (rest === undefined) {
        this.counters.drop("unrecognized");
        return;
      }
      line = rest.endsWith("\n") ? rest.slice(0, -1) : rest;
    } else {
      const r = parseSyslog(text);
      if (!r.ok) {
        this.counters.drop("unrecognized");
        return;
      }
      this.parsed[r.format]++;
      line = buildSyslogLine(r.msg, new Date());
    }
    const sink = this.sink;
    if (!sink) return;
    if (this.blocked && !from) {
      this.counters.drop("backpressure");
      return;
    }
    // Syslog events carry the zero time (upstream leaves Line.Time unset).
    const wait = sink(lineEvent(line, client, this.config, this.module, GoTime.ZERO, this.config.useTimeMachine));
    if (wait) {
      const p = wait.finally(() => {
        if (this.blocked === p) this.blocked = undefined;
        for (const s of this.paused) s.resume();
        this.paused.clear();
      });
      this.blocked = p;
      if (from) {
        from.pause();
        this.paused.add(from);
      }
    }
  }

  private onTcpData(s: Socket<Connection>, chunk: Uint8Array): void {
    const c = s.data;
    const max = this.syslog.maxMessageLen;
    let buf = c.buf.length === 0 ? chunk : concat(c.buf, chunk);
    let pos = 0;
    while (pos < buf.length) {
      if (c.skip > 0) {
        const n = Math.min(c.skip, buf.length - pos);
        c.skip -= n;
        pos += n;
        continue;
      }
      if (c.discarding) {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) {
          pos = buf.length;
          break;
        }
        c.discarding = false;
        pos = nl + 1;
        continue;
      }
      const first = buf[pos]!;
      if (first >= 0x31 && first <= 0x39) {
        // Octet counting: `LEN SP MSG`.
        let i = pos;
        let len = 0;
        while (i < buf.length && buf[i]! >= 0x30 && buf[i]! <= 0x39 && i - pos < 10) len = len * 10 + (buf[i++]! - 0x30);
        if (i === buf.length) break; // length not complete yet
        if (buf[i] !== 0x20) {
          this.counters.hit(s.remoteAddress);
          this.counters.drop("bad-frame");
          c.discarding = true;
          pos = i;
          continue;
        }
        const start = i + 1;
        if (len > max) {
          this.counters.drop("truncated");
          if (buf.length - start < max) break; // wait for the part we keep
          this.handle(decoder.decode(buf.subarray(start, start + max)), s.remoteAddress, s);
          c.skip = len - max;
          pos = start + max;
          continue;
        }
        if (buf.length - start < len) break;
        this.handle(decoder.decode(buf.subarray(start, start + len)), s.remoteAddress, s);
        pos = start + len;
        continue;
      }
      if (first === 0x0a || first === 0x0d || first === 0x00) {
        pos++;
        continue;
      }
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0) {
        if (buf.length - pos > max) {
          this.counters.drop("truncated");
          this.handle(decoder.decode(buf.subarray(pos, pos + max)), s.remoteAddress, s);
          c.discarding = true;
          pos = buf.length;
        }
        break;
      }
      let end = nl;
      if (end > pos && buf[end - 1] === 0x0d) end--;
      if (end - pos > max) {
        this.counters.drop("truncated");
        end = pos + max;
      }
      this.handle(decoder.decode(buf.subarray(pos, end)), s.remoteAddress, s);
      pos = nl + 1;
    }
    buf = pos >= buf.length ? new Uint8Array(0) : buf.slice(pos);
    c.buf = buf;
  }

  private onTcpClose(s: Socket<Connection>): void {
    this.paused.delete(s);
    const c = s.data;
    // A last newline-framed message without its newline still counts.
    if (c && c.buf.length > 0 && !c.discarding && c.skip === 0 && !(c.buf[0]! >= 0x31 && c.buf[0]! <= 0x39)) {
      this.handle(decoder.decode(c.buf), s.remoteAddress);
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

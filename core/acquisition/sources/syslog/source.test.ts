import { describe, expect, test } from "bun:test";
import { GoTime } from "../../../expr";
import type { CommonConfig } from "../types";
import { collect, runSourceContract, waitFor } from "../contract";
import { SyslogSource } from "./source";

const common = (): CommonConfig => ({
  source: "syslog", mode: "tail", labels: Object.assign(Object.create(null) as Record<string, string>, { type: "syslog" }), name: "", useTimeMachine: false, uniqueId: "u",
});

function syslogSource(opts: { tcp?: boolean; maxMessageLen?: number } = {}): SyslogSource {
  return new SyslogSource(common(), { listenAddr: "127.0.0.1", listenPort: 0, maxMessageLen: opts.maxMessageLen ?? 2048, tcp: opts.tcp ?? false, disableRfcParser: false });
}

async function sendUdp(port: number, messages: readonly (string | Uint8Array)[]): Promise<void> {
  const client = await Bun.udpSocket({});
  for (const m of messages) client.send(m, port, "127.0.0.1");
  client.close();
}

async function sendTcp(port: number, chunks: readonly string[]): Promise<void> {
  const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
  for (const c of chunks) socket.write(c);
  socket.flush();
  socket.end();
}

runSourceContract("syslog", async () => {
  const source = syslogSource();
  return {
    source,
    ready: () => waitFor(() => source.ports().udp !== undefined, "bound port"),
    produce: (lines) => sendUdp(source.ports().udp!, lines.map((l) => `<13>Jan  5 09:03:01 host app[7]: ${l}`)),
    expected: (l) => `Jan 5 09:03:01 host app[7]: ${l}`,
    cleanup: async () => {},
  };
});

describe("SyslogSource", () => {
  test("UDP: parses RFC 3164 and 5424, counts garbage without stopping, Src is the client IP, Time is zero", async () => {
    const source = syslogSource();
    const { events, running } = collect(source, new AbortController().signal);
    await waitFor(() => source.ports().udp !== undefined, "bound port");
    await sendUdp(source.ports().udp!, [
      "<13>Jan  5 09:03:01 host sshd[1]: Invalid user a",
      "complete garbage",
      new Uint8Array([0, 1, 2, 255]),
      "<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 - 'su root' failed",
    ]);
    await waitFor(() => events.length >= 2 && source.counters.dropped >= 2, "two events and two drops");
    await source.stop();
    await running;
    expect(events.map((e) => e.Line.Raw)).toEqual(["Jan 5 09:03:01 host sshd[1]: Invalid user a", "Oct 11 22:14:15 mymachine su: 'su root' failed"]);
    expect(events.map((e) => e.Line.Src)).toEqual(["127.0.0.1", "127.0.0.1"]);
    expect(events[0]!.Line.Time).toBe(GoTime.ZERO);
    expect(source.counters.drops.get("unrecognized")).toBe(2);
    expect(source.counters.read.get("127.0.0.1")).toBe(4);
    expect(source.parsed).toEqual({ rfc3164: 1, rfc5424: 1 });
  });

  test("UDP: a datagram longer than max_message_len is cut, as upstream", async () => {
    const source = syslogSource({ maxMessageLen: 48 });
    const { events, running } = collect(source, new AbortController().signal);
    await waitFor(() => source.ports().udp !== undefined, "bound port");
    await sendUdp(source.ports().udp!, [`<13>Jan  5 09:03:01 host app: ${"y".repeat(100)}`]);
    await waitFor(() => events.length >= 1, "event");
    await source.stop();
    await running;
    expect(events[0]!.Line.Raw).toBe(`Jan 5 09:03:01 host app: ${"y".repeat(48 - 30)}`);
    expect(source.counters.drops.get("truncated")).toBe(1);
  });

  test("TCP: octet-counting and newline framing, split across writes, garbage counted", async () => {
    const source = syslogSource({ tcp: true });
    const { events, running } = collect(source, new AbortController().signal);
    await waitFor(() => source.ports().tcp !== undefined, "bound TCP port");
    const m1 = "<13>Jan  5 09:03:01 host app: counted one";
    const m2 = "<34>1 2003-10-11T22:14:15Z h su - - - counted two";
    const framed = `${Buffer.byteLength(m1)} ${m1}${Buffer.byteLength(m2)} ${m2}`;
    await sendTcp(source.ports().tcp!, [framed.slice(0, 10), framed.slice(10, 50), framed.slice(50)]);
    await waitFor(() => events.length >= 2, "octet-counted events"); // keeps the two connections in order
    await sendTcp(source.ports().tcp!, ["<13>Jan  5 09:03:01 host app: line one\n<13>Jan  5 09:03:0", "2 host app: line two\r\nnot syslog at all\n", "<13>Jan  5 09:03:03 host app: last without newline"]);
    await waitFor(() => events.length >= 5 && source.counters.dropped >= 1, "five events and a drop");
    await source.stop();
    await running;
    expect(events.map((e) => e.Line.Raw)).toEqual([
      "Jan 5 09:03:01 host app: counted one",
      "Oct 11 22:14:15 h su: counted two",
      "Jan 5 09:03:01 host app: line one",
      "Jan 5 09:03:02 host app: line two",
      "Jan 5 09:03:03 host app: last without newline",
    ]);
    expect(source.counters.drops.get("unrecognized")).toBe(1);
  });

  test("TCP: an over-long frame is cut to max_message_len and the stream stays in sync", async () => {
    const source = syslogSource({ tcp: true, maxMessageLen: 40 });
    const { events, running } = collect(source, new AbortController().signal);
    await waitFor(() => source.ports().tcp !== undefined, "bound TCP port");
    const long = `<13>Jan  5 09:03:01 host app: ${"z".repeat(200)}`;
    const next = "<13>Jan  5 09:03:02 host app: ok";
    await sendTcp(source.ports().tcp!, [`${Buffer.byteLength(long)} ${long}${Buffer.byteLength(next)} ${next}`]);
    await waitFor(() => events.length >= 2, "octet-counted events");
    await sendTcp(source.ports().tcp!, [`${long}\n${next}\n`]);
    await waitFor(() => events.length >= 4, "four events");
    await source.stop();
    await running;
    expect(events.map((e) => e.Line.Raw)).toEqual([
      `Jan 5 09:03:01 host app: ${"z".repeat(10)}`,
      "Jan 5 09:03:02 host app: ok",
      `Jan 5 09:03:01 host app: ${"z".repeat(10)}`,
      "Jan 5 09:03:02 host app: ok",
    ]);
    expect(source.counters.drops.get("truncated")).toBe(2);
  });
});

/** The `syslog` datasource module: keys and validation (ACQUISITION.md §6). */
import { isIP } from "node:net";
import type { DataSourceModule, ModuleOptions, SourceDocument } from "../types";
import { SyslogSource } from "./source";

export { SyslogSource, type SyslogSourceConfig } from "./source";
export { buildSyslogLine, parseSyslog, type SyslogMessage, type SyslogParse } from "./parse";

export const syslogModule: DataSourceModule = {
  name: "syslog",
  keys: ["protocol", "listen_port", "listen_addr", "max_message_len", "disable_rfc_parser"],
  configure(doc: SourceDocument, _opts: ModuleOptions): SyslogSource | undefined {
    const { value: v, reader: r, common } = doc;
    const before = r.problems.length;
    // Upstream ignores `protocol` (UDP only); picket adds a TCP listener for `tcp`.
    const protocol = (r.string(v.protocol, ["protocol"]) ?? "").toLowerCase();
    const port = r.int(v.listen_port, ["listen_port"]) || 514;
    const addr = r.string(v.listen_addr, ["listen_addr"]) || "127.0.0.1";
    const maxLen = r.int(v.max_message_len, ["max_message_len"]) || 2048;
    const disable = r.bool(v.disable_rfc_parser, ["disable_rfc_parser"]) ?? false;
    if (port < 0 || port > 65535) r.report(["listen_port"], "acquis.syslog.port", `Invalid port ${port}`);
    if (isIP(addr) === 0) r.report(["listen_addr"], "acquis.syslog.addr", `Invalid listen IP "${addr}"`);
    if (maxLen < 0) r.report(["max_message_len"], "acquis.syslog.max-len", `Invalid max_message_len ${maxLen}`);
    if (common.mode === "cat") r.report(["mode"], "acquis.mode", "The syslog source is a server: cat mode is not supported");
    if (r.problems.length > before) return undefined;
    return new SyslogSource(common, { listenAddr: addr, listenPort: port, maxMessageLen: maxLen, tcp: protocol === "tcp", disableRfcParser: disable });
  },
};

/**
 * IP addresses and networks as Go's net and net/netip read, compare and print them, shared by the
 * expression helpers (IpInRange, IsIP…), parser whitelists and alert sources.
 */
export {
  formatGoAddr,
  goCIDRContains,
  goPrefixString,
  isV4Mapped,
  parseGoAddr,
  parseGoCIDR,
  parseGoIP,
  type GoAddr,
  type GoIPNet,
} from "./go-ip";

import { isIP } from "node:net";
import { ConfigError } from "../errors.js";
import type { TrustProxy } from "./server-options.js";

/** Ranges `proxy-addr` (fastify's `trustProxy`) knows by name. */
const NAMED_RANGES: ReadonlySet<string> = new Set(["loopback", "linklocal", "uniquelocal"]);
const OFF: ReadonlySet<string> = new Set(["false", "no", "off", "0"]);
const ON: ReadonlySet<string> = new Set(["true", "yes", "on"]);
const HINT =
  "give the addresses or CIDR ranges of the proxies in front of the server, comma-separated (10.0.0.0/8,192.0.2.10; or loopback, linklocal, uniquelocal)";

/**
 * Reads `GWENMAP_TRUST_PROXY`: the proxies in front of the server (load
 * balancers) whose `X-Forwarded-For` names the client. Unset (or `false`):
 * none, the socket's address is the client's. Otherwise their addresses and
 * CIDR ranges: a request is believed only when it reaches the server from
 * one of them. `true` (anyone's header) and a hop count are refused: both
 * would let a client that reaches the server directly choose the address
 * its events are stored with. Throws `ConfigError` naming the wrong item.
 */
export function parseTrustProxy(value: string | readonly string[] | false | undefined): TrustProxy {
  if (value === undefined || value === false) return false;
  const items = typeof value === "string" ? value.split(",") : value;
  const trusted = items.map((item) => item.trim().toLowerCase()).filter((item) => item !== "");
  if (trusted.length === 0 || (trusted.length === 1 && OFF.has(trusted[0] ?? ""))) return false;
  for (const item of trusted) checkProxy(item);
  return [...new Set(trusted)];
}

function checkProxy(item: string): void {
  if (NAMED_RANGES.has(item)) return;
  if (ON.has(item) || /^\d+$/.test(item)) {
    throw new ConfigError(
      `GWENMAP_TRUST_PROXY: "${item}" would believe X-Forwarded-For from a client that reaches the server directly, letting it choose the address stored with its events: ${HINT}.`,
    );
  }
  const [address = "", prefix, ...rest] = item.split("/");
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  const validPrefix = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
  if (family === 0 || !validPrefix || rest.length > 0) {
    throw new ConfigError(
      `GWENMAP_TRUST_PROXY: "${item}" is not an IP address or CIDR range (prefix 0-32 for IPv4, 0-128 for IPv6): ${HINT}.`,
    );
  }
}

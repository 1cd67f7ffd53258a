import { ConfigError } from "../errors.js";
import type { CorsOrigins } from "./server-options.js";

const ANY = "*";

/**
 * Reads `GWENMAP_CORS_ORIGINS`: `*` (or nothing) allows any origin; otherwise
 * each item must be an origin as a browser sends it in `Origin`. Items are
 * normalized the way browsers serialize them (lower-case host, default port
 * dropped), so `https://Shop.example.com:443` matches `https://shop.example.com`.
 * Throws `ConfigError` naming an item that is not an origin (a path is one
 * such mistake: an origin never has one).
 */
export function parseCorsOrigins(items: readonly string[]): CorsOrigins {
  const origins = items.map((item) => item.trim()).filter((item) => item !== "");
  if (origins.length === 0 || origins.includes(ANY)) return "any";
  return [...new Set(origins.map(toOrigin))];
}

function toOrigin(item: string): string {
  const url = URL.parse(item);
  const web = url !== null && (url.protocol === "https:" || url.protocol === "http:");
  if (!web || url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new ConfigError(
      `GWENMAP_CORS_ORIGINS: "${item}" is not an origin: give scheme://host[:port] as browsers send it (https://shop.example.com, no path), separated by commas, or * for any origin.`,
    );
  }
  return url.origin;
}

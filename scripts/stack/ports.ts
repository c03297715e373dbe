import { readFileSync } from "node:fs";
import net from "node:net";

/** Linux's default range for the local ports of outgoing connections, when /proc cannot be read. */
const DEFAULT_EPHEMERAL_RANGE = { low: 32_768, high: 60_999 } as const;
/** Where chosen ports start: above the registered services most machines run (PostgreSQL, Kafka, 8080). */
const LOWEST_CHOSEN_PORT = 10_000;

/**
 * The range the kernel hands out as the local port of outgoing connections. A port chosen there and
 * bound a few seconds later can be taken in between by any connection this machine opens (the product's
 * own PostgreSQL and Kafka clients included), which then fails the bind with EADDRINUSE.
 */
export function readEphemeralPortRange(file = "/proc/sys/net/ipv4/ip_local_port_range"): {
  low: number;
  high: number;
} {
  try {
    const [low, high] = readFileSync(file, "utf8").trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high) && low! > 0 && high! >= low!)
      return { low: low!, high: high! };
  } catch {
    // not Linux, or /proc not mounted: the default range below
  }
  return DEFAULT_EPHEMERAL_RANGE;
}

/**
 * Whether `port` of `host` can be bound now: nothing listens there and no connection of this machine
 * uses it as its local port.
 */
export function isPortFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Whether `port` and the next `count - 1` ports all lie outside the ephemeral range. */
function isOutsideEphemeral(port: number, count: number, range: { low: number; high: number }): boolean {
  return port + count - 1 < range.low || port > range.high;
}

/**
 * `count` consecutive ports (a Kafka broker's controller listens on the port after its own) that are
 * free now and lie outside the ephemeral range, searched upwards from `from` in steps of `count`
 * (ports inside the range are stepped over), then from 1024 up to LOWEST_CHOSEN_PORT on a machine whose
 * range leaves nothing above it: free when asked, not reserved, but no outgoing connection can take
 * them before whatever they are meant for binds them.
 */
async function findFreePorts(from: number, count: number): Promise<number> {
  const range = readEphemeralPortRange();
  const search = async (first: number, last: number): Promise<number | null> => {
    for (let port = first; port + count - 1 <= last; port += count) {
      if (!isOutsideEphemeral(port, count, range)) {
        port = range.high + 1 - count;
        continue;
      }
      let free = true;
      for (let i = 0; i < count && free; i++) free = await isPortFree(port + i);
      if (free) return port;
    }
    return null;
  };
  const found =
    (await search(Math.max(from, LOWEST_CHOSEN_PORT), 65_535)) ??
    (await search(1_024, LOWEST_CHOSEN_PORT - 1));
  if (found !== null) return found;
  throw new Error(
    `no ${count} free consecutive ports from ${from} outside the ephemeral range ${range.low}-${range.high}`,
  );
}

/** A random starting point below the ephemeral range, so that parallel callers rarely pick the same port. */
function pickRandomStart(): number {
  const { low } = readEphemeralPortRange();
  const span = Math.max(1, low - LOWEST_CHOSEN_PORT - 2_000);
  return LOWEST_CHOSEN_PORT + Math.floor(Math.random() * span);
}

/** A port free on the loopback address now, outside the ephemeral range (see findFreePorts). */
export function findFreePort(from = pickRandomStart()): Promise<number> {
  return findFreePorts(from, 1);
}

/** A free port whose next port is free too (a Kafka broker's controller listens there). */
export function findFreePortPair(from = pickRandomStart()): Promise<number> {
  return findFreePorts(from, 2);
}

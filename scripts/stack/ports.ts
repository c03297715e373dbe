import net from "node:net";

/** Whether nothing listens on `port` of the loopback address (it can be bound now). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port the system has just found free on the loopback address (free when asked, not reserved). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A free port whose next port is free too (a Kafka broker's controller listens there), searched
 * upwards from `from` in steps of two.
 */
export async function findFreePortPair(from: number): Promise<number> {
  for (let port = from; port < Math.min(from + 2_000, 65_534); port += 2) {
    if ((await isPortFree(port)) && (await isPortFree(port + 1))) return port;
  }
  throw new Error(`no two free ports from ${from}`);
}

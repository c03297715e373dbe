// A crowd of Socket.IO clients for `npm run bench stream` (1,000 viewers on one web process), in a
// process of its own so that their decoding does not slow the benchmark's producer and its measuring
// clients. Each client watches one symbol and the 5-minute movers, as a dashboard tab does.
// Usage: node --import tsx socket-load.ts <url> <clients> <symbol,symbol,…>; prints "ready" once every
// client is subscribed, and "received <n>" when stopped with SIGTERM.
import { io } from "socket.io-client";

const [url = "", countText = "0", symbolList = ""] = process.argv.slice(2);
const symbols = symbolList.split(",");
let received = 0;
const sockets = Array.from({ length: Number(countText) }, (_, i) => {
  const socket = io(url, { transports: ["websocket"], reconnectionDelay: 1_000 });
  socket.on("symbol:updated", () => received++);
  socket.on("movers:updated", () => received++);
  return new Promise<void>((resolve, reject) => {
    socket.timeout(60_000).emit("symbol:subscribe", [symbols[i % symbols.length]], (error: Error | null) => {
      if (error) return reject(error);
      socket
        .timeout(60_000)
        .emit("movers:subscribe", [5], (moversError: Error | null) =>
          moversError ? reject(moversError) : resolve(),
        );
    });
  });
});
process.on("SIGTERM", () => {
  process.stdout.write(`received ${received}\n`);
  process.exit(0);
});
Promise.all(sockets).then(
  () => process.stdout.write("ready\n"),
  (error: unknown) => {
    process.stderr.write(`socket load: ${String(error)}\n`);
    process.exit(1);
  },
);

import type { NextConfig } from "next";

import { getEnv } from "./lib/env";

// Validates the environment at build and start: a bad setting fails here, naming the variable.
getEnv();

const nextConfig: NextConfig = {
  // server.ts is the entrypoint (Next + Socket.IO on one port), so no `output: "standalone"`.
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["kafkajs", "pino", "pg", "yahoo-finance2"],
  typedRoutes: false,
  // Security headers are not set here: server.ts sets them on every answer (Socket.IO's too) and
  // proxy.ts sets each page's CSP with its nonce (lib/http/security-headers.ts).
};

export default nextConfig;

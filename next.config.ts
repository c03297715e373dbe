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
  headers() {
    return Promise.resolve([
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ]);
  },
};

export default nextConfig;

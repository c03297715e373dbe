// Any /api/* path that no route handles: a JSON 404 (not the HTML page) naming what exists.
import { ApiError } from "@/lib/api/errors";
import { withApi } from "@/lib/api/with-api";

const notFound = withApi<{ path: string[] }>((request) => {
  const path = new URL(request.url).pathname;
  return Promise.reject(
    new ApiError(
      "not_found",
      `no API at ${path}; see /api/health, /api/symbols, /api/prices, /api/snapshot, /api/daily, /api/windows, /api/movers, /api/watchlist, /api/alerts, /api/metrics, /api/admin/*`,
    ),
  );
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;

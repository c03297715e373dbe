// GET /api/alerts?limit=50&before=<id>&symbol=AAPL&rule=<id>: fired alerts (retracted ones too), newest first.
import { getDb } from "@/app/_data/server-context";
import { createAlertsApi } from "@/lib/api/alerts-api";

export const dynamic = "force-dynamic";

export const GET = createAlertsApi(getDb).list;

import { getOpsSnapshot } from "@/app/_data/ops";

import { OpsView } from "./_components/ops-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Pipeline operations · Tickstream" };

/** The pipeline at a glance: the server renders the monitor's newest snapshot, Socket.IO keeps it live. */
export default async function OpsPage() {
  const snapshot = await getOpsSnapshot();
  if (!snapshot)
    return (
      <p data-testid="ops-unavailable">
        The pipeline monitor runs in the Tickstream web server (server.ts); this process has none.
      </p>
    );
  return <OpsView initial={snapshot} />;
}

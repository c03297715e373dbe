import { getHealthReport } from "@/app/_data/health";

import { HealthView } from "./_components/health-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Health · Tickstream" };

export default async function HealthPage() {
  const report = await getHealthReport();
  return <HealthView initial={report} />;
}

import { describe, expectTypeOf, it } from "vitest";

import type { IsSameShape } from "@/lib/events/same-shape";
import type {
  IngestWorkerMetrics,
  StreamWorkerMetrics,
  TickPublisherMetrics,
} from "@/lib/events/worker-metrics";
import type { TickPublisher } from "@/lib/ingest/tick-publisher";
import type { IngestWorker } from "@/workers/ingest/start-ingest-worker";
import type { StreamWorker } from "@/workers/stream/start-stream-worker";

// startHeartbeat only asks that a worker's figures be assignable to WorkerMetrics, which an object with
// an extra figure is; these type cases (checked by tsc) make a figure added on one side only fail, so
// it cannot be written and then dropped unseen by the readers.
describe("worker metrics writers (typecheck)", () => {
  it("write exactly the figures of their schemas", () => {
    expectTypeOf<
      IsSameShape<ReturnType<StreamWorker["metrics"]>, StreamWorkerMetrics>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      IsSameShape<ReturnType<IngestWorker["metrics"]>, IngestWorkerMetrics>
    >().toEqualTypeOf<true>();
    expectTypeOf<
      IsSameShape<ReturnType<TickPublisher["metrics"]>, TickPublisherMetrics>
    >().toEqualTypeOf<true>();
  });
});

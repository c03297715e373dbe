import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";

import { BulkHistogram } from "@/lib/metrics/bulk-histogram";

const BUCKETS = [0.01, 0.05, 0.1, 0.5, 1];
// Binary fractions, so that sums come out the same in any order of addition.
const VALUES = [0, 1 / 128, 0.01, 3 / 64, 0.0625, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 64];

function twoRegistries() {
  const ours = new Registry();
  const theirs = new Registry();
  for (const registry of [ours, theirs]) registry.setDefaultLabels({ service: "stream" });
  const bulk = new BulkHistogram({
    name: "t_seconds",
    help: "latency",
    labelName: "source",
    buckets: BUCKETS,
    registers: [ours],
  });
  const reference = new Histogram({
    name: "t_seconds",
    help: "latency",
    labelNames: ["source"] as const,
    buckets: BUCKETS,
    registers: [theirs],
  });
  return { ours, theirs, bulk, reference };
}

describe("BulkHistogram", () => {
  it("is exposed exactly as prom-client's Histogram given the same values, line for line", async () => {
    const { ours, theirs, bulk, reference } = twoRegistries();
    bulk.zero("replay");
    reference.zero({ source: "replay" });
    bulk.observeAll("synthetic", VALUES, (v) => v);
    bulk.observeAll("synthetic", [0.05, 0.5], (v) => v);
    bulk.observeAll("yahoo", [0.125], (v) => v);
    for (const value of [...VALUES, 0.05, 0.5]) reference.observe({ source: "synthetic" }, value);
    reference.observe({ source: "yahoo" }, 0.125);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('t_seconds_bucket{le="0.05",service="stream",source="synthetic"} 5');
    expect(text).toContain('t_seconds_bucket{le="+Inf",service="stream",source="synthetic"} 14');
    expect(text).toContain('t_seconds_count{service="stream",source="replay"} 0');
    // In JSON too, but for prom-client's exemplar slots (null: none is ever recorded here).
    const withoutExemplars = (metrics: Awaited<ReturnType<Registry["getMetricsAsJSON"]>>) =>
      metrics.map((m) => ({ ...m, values: m.values.map((v) => ({ ...v, exemplar: undefined })) }));
    expect(withoutExemplars(await ours.getMetricsAsJSON())).toEqual(
      withoutExemplars(await theirs.getMetricsAsJSON()),
    );
  });

  it("counts a value equal to a bound in that bound's bucket, and one above every bound only in +Inf", async () => {
    const { ours, bulk } = twoRegistries();
    bulk.observeAll("s", [0.1, 5], (v) => v);
    const text = await ours.metrics();
    expect(text).toContain('t_seconds_bucket{le="0.05",service="stream",source="s"} 0');
    expect(text).toContain('t_seconds_bucket{le="0.1",service="stream",source="s"} 1');
    expect(text).toContain('t_seconds_bucket{le="1",service="stream",source="s"} 1');
    expect(text).toContain('t_seconds_bucket{le="+Inf",service="stream",source="s"} 2');
    expect(text).toContain('t_seconds_sum{service="stream",source="s"} 5.1');
  });

  it("refuses a value that is not a finite number and counts none of its call", async () => {
    const { ours, bulk } = twoRegistries();
    bulk.zero("s");
    expect(() => bulk.observeAll("s", [0.1, Number.NaN, 0.2], (v) => v)).toThrow(/not a finite number/);
    expect(await ours.metrics()).toContain('t_seconds_count{service="stream",source="s"} 0');
  });

  it("refuses buckets that repeat or are not finite, and a second metric of its name in a registry", () => {
    const registry = new Registry();
    const make = (buckets: number[]) => () =>
      new BulkHistogram({ name: "u", help: "u", labelName: "l", buckets, registers: [registry] });
    expect(make([0.1, 0.1])).toThrow(/distinct finite/);
    expect(make([0.1, Infinity])).toThrow(/distinct finite/);
    expect(
      () => new BulkHistogram({ name: "v", help: "v", labelName: "le", buckets: [1], registers: [] }),
    ).toThrow(/not a label name/);
    expect(
      () => new BulkHistogram({ name: "v-1", help: "v", labelName: "l", buckets: [1], registers: [] }),
    ).toThrow(/not a metric name/);
    make([0.1])();
    expect(make([0.2])).toThrow(/already been registered/);
  });

  it("forgets its series on reset, as the registry's resetMetrics asks", async () => {
    const { ours, bulk } = twoRegistries();
    bulk.observeAll("s", [0.1], (v) => v);
    ours.resetMetrics();
    expect(await ours.metrics()).not.toContain('source="s"');
  });
});

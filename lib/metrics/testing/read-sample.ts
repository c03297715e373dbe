import type { Registry } from "prom-client";

/**
 * The value of one sample of `registry` (a series name as exposed, e.g. `…_bucket` or `…_sum`) whose
 * labels include `labels`, or undefined when there is none. Tests read values this way rather than
 * matching exposition text, whose label order prom-client does not fix.
 */
export async function readSample(
  registry: Registry,
  name: string,
  labels: Record<string, string | number> = {},
): Promise<number | undefined> {
  for (const metric of await registry.getMetricsAsJSON()) {
    for (const value of metric.values) {
      const sampleName = (value as { metricName?: string }).metricName ?? metric.name;
      if (sampleName !== name) continue;
      const actual = value.labels as Record<string, string | number>;
      if (Object.entries(labels).every(([k, v]) => String(actual[k]) === String(v))) return value.value;
    }
  }
  return undefined;
}

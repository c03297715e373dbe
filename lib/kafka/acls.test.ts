import { describe, expect, it } from "vitest";

import { listPipelineGrants, type PipelineAclSpec } from "@/lib/kafka/acls";

const spec: PipelineAclSpec = {
  topics: { ticks: "market.ticks", kpis: "market.kpis", ticksDlq: "market.ticks.dlq" },
  users: { ingest: "i", stream: "s", web: "w" },
  groups: {
    stream: { name: "tickstream-stream", isPrefix: false },
    web: { name: "tickstream-web-", isPrefix: true },
  },
};

/** Every (role, resource, operation) the grants allow, as "role op resource:name[*]". */
function listAllowed(): string[] {
  return listPipelineGrants(spec).flatMap((g) =>
    g.operations.map((op) => `${g.role} ${op} ${g.resource}:${g.name}${g.isPrefix ? "*" : ""}`),
  );
}

describe("listPipelineGrants", () => {
  it("lets ingest write ticks and do nothing else", () => {
    expect(listAllowed().filter((a) => a.startsWith("ingest "))).toEqual(["ingest write topic:market.ticks"]);
  });

  it("lets stream read ticks in its one group and write KPIs and dead letters", () => {
    expect(listAllowed().filter((a) => a.startsWith("stream "))).toEqual([
      "stream read topic:market.ticks",
      "stream write topic:market.kpis",
      "stream write topic:market.ticks.dlq",
      "stream read group:tickstream-stream",
    ]);
  });

  it("lets web read KPIs and dead letters in its own groups, and only describe ticks", () => {
    expect(listAllowed().filter((a) => a.startsWith("web "))).toEqual([
      "web read topic:market.kpis",
      "web read topic:market.ticks.dlq",
      "web describe topic:market.ticks",
      "web read group:tickstream-web-*",
      "web delete group:tickstream-web-*",
    ]);
  });

  it("grants nobody a write to a topic it only reads", () => {
    const writers = listAllowed().filter((a) => a.includes(" write "));
    expect(writers).not.toContain("web write topic:market.kpis");
    expect(writers.filter((a) => a.endsWith("topic:market.ticks"))).toEqual([
      "ingest write topic:market.ticks",
    ]);
  });
});

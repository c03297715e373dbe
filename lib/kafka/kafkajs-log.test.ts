import { describe, expect, it } from "vitest";

import { classifyKafkajsLog, isTransientKafkaError } from "@/lib/kafka/kafkajs-log";

// A kafkajs stack is what made the first start print 11 lines for a condition kafkajs heals itself.
const STACK =
  "KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group\n    at createErrorFromCode (kafkajs/src/protocol/error.js:581:10)\n    at Object.parse (…)";

describe("classifyKafkajsLog", () => {
  it("turns the consumer crash while the group coordinator loads (first start) into one warn line without the stack", () => {
    const line = classifyKafkajsLog(
      "error",
      "Crash: KafkaJSProtocolError: The coordinator is loading and hence can't process requests for this group",
      { groupId: "tickstream-stream", retryCount: 0, stack: STACK },
    );
    expect(line).toEqual({
      level: "warn",
      message: "the consumer group's coordinator is still loading; the consumer restarts and joins again",
      fields: { groupId: "tickstream-stream", retryCount: 0 },
    });
  });

  it.each([
    [
      "There is no leader for this topic-partition as we are in the middle of a leadership election",
      "topic leadership is settling",
    ],
    [
      "This server does not host this topic-partition",
      "the topic's partitions are not ready on the broker yet",
    ],
    ["This server is not the leader for that topic-partition", "partition leadership has moved"],
    ["The group coordinator is not available", "the consumer group's coordinator is not available yet"],
  ])("says what happens next for a retried request that got %s", (text, condition) => {
    const line = classifyKafkajsLog("error", `Failed to send messages: ${text}`, {
      stack: STACK,
      topic: "t",
    });
    expect(line).toEqual({ level: "warn", message: `${condition}; kafkajs retries`, fields: { topic: "t" } });
  });

  it("tells a member the coordinator forgot (after a broker restart) that it joins again, as a warning", () => {
    const line = classifyKafkajsLog(
      "error",
      "The coordinator is not aware of this member, re-joining the group",
      { groupId: "g", memberId: "m-1", error: "The coordinator is not aware of this member" },
    );
    expect(line).toEqual({
      level: "warn",
      message:
        "the group coordinator no longer knows this member (its session expired, or it left); the consumer joins the group again",
      fields: { groupId: "g", memberId: "m-1", error: "The coordinator is not aware of this member" },
    });
  });

  it("keeps a real error loud: level error, its own message and its stack", () => {
    const fields = { groupId: "g", stack: "KafkaJSNonRetriableError: Topic authorization failed\n    at …" };
    const line = classifyKafkajsLog(
      "error",
      "Crash: KafkaJSNonRetriableError: Topic authorization failed",
      fields,
    );
    expect(line).toEqual({
      level: "error",
      message: "Crash: KafkaJSNonRetriableError: Topic authorization failed",
      fields,
    });
  });

  it("never raises a level: a transient condition logged at info stays info", () => {
    expect(classifyKafkajsLog("info", "This server does not host this topic-partition", {}).level).toBe(
      "info",
    );
  });

  it("reports an unreachable broker as a warning without the stack, and the consumer restart as info", () => {
    expect(
      classifyKafkajsLog("error", "Connection error: connect ECONNREFUSED 127.0.0.1:9092", {
        broker: "127.0.0.1:9092",
        stack: "Error: connect ECONNREFUSED\n    at …",
      }),
    ).toEqual({
      level: "warn",
      message: "Connection error: connect ECONNREFUSED 127.0.0.1:9092; kafkajs retries",
      fields: { broker: "127.0.0.1:9092" },
    });
    expect(classifyKafkajsLog("error", "Restarting the consumer in 300ms", { retryTime: 300 }).level).toBe(
      "info",
    );
  });

  it("keeps what kafkajs handles itself at debug (broker responses, a handler error the worker logs)", () => {
    expect(classifyKafkajsLog("error", "Response Metadata(key: 3, version: 6)", {}).level).toBe("debug");
    expect(classifyKafkajsLog("error", "Error when calling eachBatch", { stack: "…" }).level).toBe("debug");
  });
});

describe("isTransientKafkaError", () => {
  it("recognises a retriable broker condition by kafkajs' message, and nothing else", () => {
    expect(
      isTransientKafkaError(
        new Error(
          "There is no leader for this topic-partition as we are in the middle of a leadership election",
        ),
      ),
    ).toBe(true);
    expect(isTransientKafkaError(new Error("password authentication failed"))).toBe(false);
    expect(isTransientKafkaError("This server does not host this topic-partition")).toBe(false);
  });
});

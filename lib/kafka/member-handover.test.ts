import { describe, expect, it } from "vitest";

import { handOverMember, installMemberHandover } from "@/lib/kafka/member-handover";

/** A stand-in for kafkajs's ConsumerGroup: records the member id each join started with. */
function createStandIn() {
  const joinedAs: (string | null)[] = [];
  class ConsumerGroup {
    memberId: string | null = null;
    constructor(public groupId: string) {}
    joinAndSync(): Promise<void> {
      joinedAs.push(this.memberId);
      this.memberId ??= `new-${joinedAs.length}`;
      return Promise.resolve();
    }
  }
  expect(installMemberHandover(ConsumerGroup)).toBe(true);
  return { ConsumerGroup, joinedAs };
}

describe("installMemberHandover", () => {
  it("makes the first join of the next consumer of the group use the handed-over id, once", async () => {
    const { ConsumerGroup, joinedAs } = createStandIn();
    handOverMember("g-handover", "dead-member");
    const first = new ConsumerGroup("g-handover");
    await first.joinAndSync();
    await first.joinAndSync(); // a rejoin keeps its own id
    await new ConsumerGroup("g-handover").joinAndSync(); // a later consumer joins as a new member
    expect(joinedAs).toEqual(["dead-member", "dead-member", null]);
  });

  it("leaves other groups, and consumers that already have an id, as they are", async () => {
    const { ConsumerGroup, joinedAs } = createStandIn();
    handOverMember("g-other", "dead-member");
    await new ConsumerGroup("g-unrelated").joinAndSync();
    const member = new ConsumerGroup("g-other");
    member.memberId = "its-own";
    await member.joinAndSync();
    expect(joinedAs).toEqual([null, "its-own"]);
  });

  it("patches a class once", () => {
    const { ConsumerGroup } = createStandIn();
    const patched = ConsumerGroup.prototype.joinAndSync;
    expect(installMemberHandover(ConsumerGroup)).toBe(true);
    expect(ConsumerGroup.prototype.joinAndSync).toBe(patched);
  });

  it("keeps the id for the next consumer when a join fails, and drops it when the id is refused", async () => {
    const joinedAs: (string | null)[] = [];
    const outcomes = ["coordinator away", "unknown member", "ok"];
    class ConsumerGroup {
      memberId: string | null = null;
      constructor(public groupId: string) {}
      joinAndSync(): Promise<void> {
        joinedAs.push(this.memberId);
        const outcome = outcomes.shift();
        if (outcome === "ok") return Promise.resolve();
        // As kafkajs does: a refused id is cleared (its retrier would then join as new).
        if (outcome === "unknown member") this.memberId = null;
        return Promise.reject(new Error(outcome));
      }
    }
    installMemberHandover(ConsumerGroup);
    handOverMember("g-fails", "dead-member");
    await expect(new ConsumerGroup("g-fails").joinAndSync()).rejects.toThrow("coordinator away");
    await expect(new ConsumerGroup("g-fails").joinAndSync()).rejects.toThrow("unknown member");
    await new ConsumerGroup("g-fails").joinAndSync();
    expect(joinedAs).toEqual(["dead-member", "dead-member", null]);
  });

  it("refuses a class without joinAndSync", () => {
    expect(installMemberHandover(class {} as never)).toBe(false);
  });
});

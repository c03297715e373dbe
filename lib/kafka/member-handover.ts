import kafkajsConsumerGroupClass from "kafkajs/src/consumer/consumerGroup.js";

// kafkajs 2.2.4 has no static membership (group.instance.id): a consumer that replaces a dead one joins
// as a new member, and the coordinator waits for the dead member's session to expire before it assigns
// that member's partitions again (STREAM_SESSION_TIMEOUT_MS, at least 6 s). A supervisor that saw the
// old process exit knows that its member is gone and can hand the member id to the replacement: a join
// with the id of a member the coordinator still holds is that member rejoining, so the rebalance ends
// as soon as every live member has rejoined. An id the coordinator no longer knows (the old member left
// the group on a clean stop, or its session expired) is refused with UNKNOWN_MEMBER_ID, and kafkajs then
// joins as a new member at its next retry.

/** What this module uses of kafkajs's ConsumerGroup. */
type Membership = { groupId: string; memberId: string | null };
type ConsumerGroupClass = { prototype: Membership & { joinAndSync: (this: Membership) => Promise<void> } };

const INSTALLED = Symbol.for("tickstream.memberHandover");
/**
 * Member ids to join with, by group: each is used by the first join of a new consumer of that group, and
 * dropped once a join succeeds or the coordinator refuses the id (a join that fails otherwise, say with
 * the coordinator away, leaves it for the consumer that kafkajs restarts).
 */
const handedOver = new Map<string, string>();

/**
 * The next consumer of `groupId` created in this process joins as `memberId` (a member of a process
 * known to be dead), once; later joins and other groups are unchanged.
 */
export function handOverMember(groupId: string, memberId: string): void {
  handedOver.set(groupId, memberId);
}

/** Patches kafkajs's ConsumerGroup, once (createKafkaClient calls it). Returns whether it is in place. */
export function installMemberHandoverInKafkajs(): boolean {
  return installMemberHandover(kafkajsConsumerGroupClass as ConsumerGroupClass);
}

/** Patches `ConsumerGroup` (kafkajs's class, or a stand-in in tests); true once it is patched. */
export function installMemberHandover(ConsumerGroup: ConsumerGroupClass): boolean {
  const proto = ConsumerGroup.prototype as ConsumerGroupClass["prototype"] & { [INSTALLED]?: true };
  if (proto[INSTALLED]) return true;
  const joinAndSync = proto.joinAndSync;
  if (typeof joinAndSync !== "function") return false;
  proto.joinAndSync = async function (this: Membership) {
    // A consumer's first join starts with no member id; a rejoin keeps its own.
    const memberId = this.memberId === null ? handedOver.get(this.groupId) : undefined;
    if (memberId === undefined) return joinAndSync.call(this);
    this.memberId = memberId;
    try {
      await joinAndSync.call(this);
      handedOver.delete(this.groupId);
    } catch (error) {
      // kafkajs clears the id the coordinator refused (UNKNOWN_MEMBER_ID) before it joins as new.
      if (this.memberId !== memberId) handedOver.delete(this.groupId);
      throw error;
    }
  };
  proto[INSTALLED] = true;
  return true;
}

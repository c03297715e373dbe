import { describe, expect, it } from "vitest";

import {
  acknowledgeAlert,
  acknowledgeAllAlerts,
  countUnreadAlerts,
  isAlertAcknowledged,
  NO_ACKS,
  parseAlertAcks,
} from "@/components/alerts/alert-acks";

const active = (id: number) => ({ id, retractedAt: null });

describe("alert acknowledgements", () => {
  it("reads nothing acknowledged from empty, malformed or foreign storage", () => {
    expect(parseAlertAcks(null)).toEqual(NO_ACKS);
    expect(parseAlertAcks("{not json")).toEqual(NO_ACKS);
    expect(parseAlertAcks('{"throughId":-1,"ids":[]}')).toEqual(NO_ACKS);
    expect(parseAlertAcks('{"throughId":4,"ids":[7]}')).toEqual({ throughId: 4, ids: [7] });
  });

  it("one acknowledgement marks that alert only", () => {
    const acks = acknowledgeAlert(NO_ACKS, 5);
    expect(isAlertAcknowledged(acks, 5)).toBe(true);
    expect(isAlertAcknowledged(acks, 4)).toBe(false);
    expect(isAlertAcknowledged(acks, 6)).toBe(false);
    expect(acknowledgeAlert(acks, 5)).toBe(acks);
  });

  it("acknowledge all covers every id up to the newest shown, not alerts that fire later", () => {
    const acks = acknowledgeAllAlerts(acknowledgeAlert(NO_ACKS, 12), [{ id: 3 }, { id: 9 }]);
    expect(acks).toEqual({ throughId: 9, ids: [12] });
    expect(isAlertAcknowledged(acks, 1)).toBe(true);
    expect(isAlertAcknowledged(acks, 9)).toBe(true);
    expect(isAlertAcknowledged(acks, 10)).toBe(false);
    expect(isAlertAcknowledged(acks, 12)).toBe(true);
    // The watermark never moves back when the page shows older alerts only.
    expect(acknowledgeAllAlerts(acks, [{ id: 2 }]).throughId).toBe(9);
    expect(acknowledgeAllAlerts(NO_ACKS, [])).toEqual(NO_ACKS);
  });

  it("counts active unacknowledged alerts; a retracted one needs no action", () => {
    const acks = acknowledgeAlert(NO_ACKS, 2);
    expect(countUnreadAlerts(acks, [active(1), active(2), { id: 3, retractedAt: 1_700_000_000_000 }])).toBe(
      1,
    );
  });
});

// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { DisplayZoneProvider } from "@/components/ui/display-zone-provider";
import { DisplayZoneSwitch } from "@/components/ui/display-zone-switch";
import { Time, TimeSpan } from "@/components/ui/time";
import { formatZonedTime } from "@/lib/kpi/format";

const STORAGE_KEY = "tickstream-display-zone";
/** 14:05 in New York (EST), 19:05 UTC. */
const TS = Date.parse("2026-01-15T19:05:00Z");
const LOCAL_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

function renderPage() {
  return render(
    <DisplayZoneProvider deploymentTimeZone="America/New_York">
      <DisplayZoneSwitch />
      <Time ts={TS} exchangeTimeZone="America/New_York" withDate testId="t" />
      <TimeSpan start={TS} end={TS + 5 * 60_000} exchangeTimeZone="America/New_York" testId="span" />
    </DisplayZoneProvider>,
  );
}

const shown = () => screen.getByTestId("t").textContent;
const checked = () => screen.getByRole("radio", { checked: true }).textContent;

beforeEach(() => localStorage.clear());
afterEach(cleanup);

describe("display zone", () => {
  it("shows exchange time, named, on a first visit", () => {
    renderPage();
    expect(checked()).toBe("Exchange");
    expect(shown()).toBe("Jan 15, 14:05 EST");
    expect(screen.getByTestId("t").getAttribute("data-zone")).toBe("EST");
    expect(screen.getByTestId("t").getAttribute("datetime")).toBe("2026-01-15T19:05:00.000Z");
    expect(screen.getByTestId("span").textContent).toBe("14:05 – 14:10 EST");
  });

  it("switches every time to UTC or the browser's zone and remembers the choice", () => {
    renderPage();
    fireEvent.click(screen.getByTestId("zone-utc"));
    expect(shown()).toBe("Jan 15, 19:05 UTC");
    expect(screen.getByTestId("span").textContent).toBe("19:05 – 19:10 UTC");
    expect(localStorage.getItem(STORAGE_KEY)).toBe("utc");

    fireEvent.click(screen.getByTestId("zone-local"));
    expect(shown()).toBe(formatZonedTime(TS, LOCAL_ZONE, { withDate: true }));
    expect(checked()).toBe("Local");
    expect(localStorage.getItem(STORAGE_KEY)).toBe("local");
  });

  it("starts from the stored choice on the next visit", () => {
    localStorage.setItem(STORAGE_KEY, "utc");
    renderPage();
    expect(checked()).toBe("UTC");
    expect(shown()).toBe("Jan 15, 19:05 UTC");
  });

  it("ignores an unknown stored value", () => {
    localStorage.setItem(STORAGE_KEY, "mars");
    renderPage();
    expect(shown()).toBe("Jan 15, 14:05 EST");
  });

  it("follows a choice made in another tab", () => {
    renderPage();
    act(() => {
      localStorage.setItem(STORAGE_KEY, "utc");
      window.dispatchEvent(new StorageEvent("storage", { key: STORAGE_KEY, newValue: "utc" }));
    });
    expect(shown()).toBe("Jan 15, 19:05 UTC");
  });

  it("shows a dash for a missing time", () => {
    render(<Time ts={null} exchangeTimeZone="UTC" testId="none" />);
    expect(screen.getByTestId("none").textContent).toBe("—");
  });
});

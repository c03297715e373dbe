// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { SourceBadge } from "@/components/kpi/source-badge";

afterEach(cleanup);

describe("SourceBadge", () => {
  it("tells screen readers what a replay is on the full-size badge only, not on every table row", () => {
    render(<SourceBadge source="replay" />);
    expect(screen.getByTestId("source-badge").textContent).toBe(
      "Replay (Recorded real bars replayed on the wall clock; not live market data)",
    );
    cleanup();
    render(<SourceBadge source="replay" size="sm" />);
    const small = screen.getByTestId("source-badge");
    expect(small.textContent).toBe("Replay");
    expect(small.getAttribute("title")).toBe(
      "Recorded real bars replayed on the wall clock; not live market data",
    );
  });

  it("marks nothing for a live source", () => {
    const { container } = render(<SourceBadge source="yahoo" />);
    expect(container.innerHTML).toBe("");
  });
});

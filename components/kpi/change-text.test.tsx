// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { ChangeText } from "@/components/kpi/change-text";

afterEach(cleanup);

describe("ChangeText", () => {
  it("shows a ranked loser's tiny loss as a loss, where a plain change reads as none", () => {
    render(<ChangeText value={-0.003} isRanked testId="ranked" />);
    render(<ChangeText value={-0.003} testId="plain" />);
    expect(screen.getByTestId("ranked").textContent).toBe("▼ \u22120.003%");
    expect(screen.getByTestId("ranked").dataset.direction).toBe("down");
    expect(screen.getByTestId("plain").textContent).toBe("0.00%");
    expect(screen.getByTestId("plain").dataset.direction).toBe("flat");
  });

  it("keeps two decimals for a ranked change that has them", () => {
    render(<ChangeText value={1.2345} isRanked testId="ranked" />);
    expect(screen.getByTestId("ranked").textContent).toBe("▲ +1.23%");
  });
});

import { describe, expect, it } from "vitest";

import { isCurrentLink } from "@/components/ui/nav-links";

describe("isCurrentLink", () => {
  it("marks a section for the pages under it, an exact link only for itself, the root only for itself", () => {
    expect(isCurrentLink("/admin/alerts", "/admin", "section")).toBe(true);
    expect(isCurrentLink("/admin/alerts", "/admin", "exact")).toBe(false);
    expect(isCurrentLink("/admin", "/admin", "exact")).toBe(true);
    expect(isCurrentLink("/administrators", "/admin", "section")).toBe(false);
    expect(isCurrentLink("/symbol/AAPL", "/", "section")).toBe(false);
    expect(isCurrentLink("/", "/", "section")).toBe(true);
  });
});

import type { Locator, Page } from "@playwright/test";

export type DisplayZoneChoice = "exchange" | "local" | "utc";

/** The header's time zone switch, on every page. */
export class DisplayZoneSwitch {
  readonly root: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId("display-zone-switch");
  }

  async choose(zone: DisplayZoneChoice): Promise<void> {
    await this.page.getByTestId(`zone-${zone}`).click();
  }

  option(zone: DisplayZoneChoice): Locator {
    return this.page.getByTestId(`zone-${zone}`);
  }
}

// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";

import { AddSymbolsForm } from "@/components/admin/add-symbols-form";
import type { AddSymbolsOutcome } from "@/lib/events/api-admin";

afterEach(cleanup);

const OUTCOME: AddSymbolsOutcome = {
  added: [],
  reactivated: [],
  alreadyFollowed: [
    { symbol: "AAPL", status: "active" },
    { symbol: "MSFT", status: "active" },
  ],
  rejected: [],
};

const renderForm = (onAdd: () => Promise<AddSymbolsOutcome> = () => Promise.resolve(OUTCOME)) =>
  render(<AddSymbolsForm source="replay" bounds={{ min: 15, max: 3_600 }} onAdd={onAdd} />);

describe("AddSymbolsForm", () => {
  it("drops the last outcome once the text is edited, so that it never stands under a new message", async () => {
    renderForm();
    const input = screen.getByTestId("add-symbols-input");
    fireEvent.change(input, { target: { value: "aapl, msft" } });
    await act(async () => {
      fireEvent.submit(screen.getByTestId("add-symbols-form"));
      await Promise.resolve();
    });
    expect(screen.getByTestId("add-outcome").textContent).toBe(
      "AAPL is already followed.MSFT is already followed.",
    );
    fireEvent.change(input, { target: { value: "TOOLONGSYMBOLNAME12345" } });
    expect(screen.queryByTestId("add-outcome")).toBeNull();
    expect(screen.getByTestId("add-symbols-malformed")).toBeTruthy();
  });

  it("keeps the text as sent while its request runs, so that the outcome shown is about that text", async () => {
    let answer!: (outcome: AddSymbolsOutcome) => void;
    renderForm(() => new Promise<AddSymbolsOutcome>((resolve) => (answer = resolve)));
    const input = screen.getByTestId<HTMLInputElement>("add-symbols-input");
    fireEvent.change(input, { target: { value: "aapl" } });
    await act(async () => {
      fireEvent.submit(screen.getByTestId("add-symbols-form"));
      await Promise.resolve();
    });
    expect(input.disabled).toBe(true);
    await act(async () => {
      answer(OUTCOME);
      await Promise.resolve();
    });
    expect(input.disabled).toBe(false);
    expect(screen.getByTestId("add-outcome")).toBeTruthy();
  });

  it("suggests a recorded symbol where the source is the replay", () => {
    renderForm();
    expect(screen.getByTestId("add-symbols-input").getAttribute("placeholder")).toBe(
      "a recorded symbol, e.g. NVDA",
    );
  });
});

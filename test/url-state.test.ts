import { afterEach, describe, expect, it, vi } from "vitest";

// remember.js reads the address when it loads and writes to it on every change: give it a fake
// window (location + history) per test and import it fresh.
async function loadWith(address: string) {
  const state = { href: address };
  const location = {
    get href() {
      return state.href;
    },
    get search() {
      return new URL(state.href).search;
    },
  };
  const history = { state: null, replaceState: (_s: unknown, _t: string, url: URL | string) => (state.href = String(url)) };
  vi.stubGlobal("location", location);
  vi.stubGlobal("history", history);
  vi.resetModules();
  const module = await import("../dashboard/src/components/remember.js");
  return { ...module, address: () => state.href };
}

/** An input as Observable Inputs make them: a value and input events. */
function fakeInput(value: unknown) {
  const input = new EventTarget() as EventTarget & { value: unknown };
  input.value = value;
  return input;
}

afterEach(() => vi.unstubAllGlobals());

describe("page state in the address", () => {
  it("starts each input from the address, with its type", async () => {
    const { remember, oneOf } = await loadWith("http://127.0.0.1/hotspots?lang=lt&month=2021-06&category=theft&fdr=false&share=0.05");
    const seen: unknown[] = [];
    for (const key of ["month", "category", "fdr", "share", "lang", "extent"])
      remember(key, (previous) => (seen.push(previous), fakeInput(previous ?? "default")));
    expect(seen).toEqual(["2021-06", "theft", false, 0.05, undefined, undefined]);
    expect(oneOf(["2021-05", "2021-06"], "2021-07", "2021-06")).toBe("2021-06");
  });

  it("writes every change back, so the address shares the view", async () => {
    const { remember, address } = await loadWith("http://127.0.0.1/hotspots?lang=en");
    const month = remember("month", () => fakeInput("2025-02"));
    const fdr = remember("fdr", () => fakeInput(true));
    expect(new URL(address()).searchParams.toString()).toBe("lang=en&month=2025-02&fdr=true");
    month.value = "2024-09";
    month.dispatchEvent(new Event("input"));
    fdr.value = false;
    fdr.dispatchEvent(new Event("input"));
    expect(new URL(address()).searchParams.toString()).toBe("lang=en&month=2024-09&fdr=false");
    // A redraw (e.g. the language switch) starts from the last value, not from the address it opened with.
    expect(remember("month", (previous) => fakeInput(previous)).value).toBe("2024-09");
  });

  it("leaves null and each input's default out of the address", async () => {
    const { remember, address } = await loadWith("http://127.0.0.1/patrol?lang=en&cell=null&view=23.3,55.9,12.000");
    const cell = remember("cell", () => fakeInput(null));
    const view = remember("view", (previous) => fakeInput(previous));
    const method = remember("method", () => fakeInput("ewma"), { fallback: "ewma" });
    const fdr = remember("fdr", () => fakeInput(false), { fallback: true });
    // A null left in an old link goes; a view that is not the default stays.
    expect(new URL(address()).searchParams.toString()).toBe("lang=en&view=23.3%2C55.9%2C12.000&fdr=false");
    for (const [input, value] of [
      [cell, "881f626eb3fffff"],
      [view, null],
      [method, "ring"],
      [fdr, true],
    ] as const) {
      input.value = value;
      input.dispatchEvent(new Event("input"));
    }
    expect(new URL(address()).searchParams.toString()).toBe("lang=en&cell=881f626eb3fffff&method=ring");
    method.value = "ewma";
    method.dispatchEvent(new Event("input"));
    expect(new URL(address()).searchParams.toString()).toBe("lang=en&cell=881f626eb3fffff");
  });

  it("round-trips every kind of value an input holds", async () => {
    const { encodeSelection, decodeSelection } = await loadWith("http://127.0.0.1/");
    for (const value of ["2021-06", "Šiaulių m. sav.", "*", "cells", "ewma-ring", 0.01, 3, -2, true, false, null])
      expect(decodeSelection(encodeSelection(value))).toEqual(value);
  });
});

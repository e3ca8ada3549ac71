import { describe, expect, it } from "vitest";
import { settleAll } from "../etl/publish/settle-all.ts";

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe("settleAll (publish's parts at the same time)", () => {
  it("gives every part's value in the parts' order", async () => {
    expect(await settleAll<[number, string]>([after(20, 1), after(0, "b")])).toEqual([1, "b"]);
  });

  it("throws a failed part's error only once every other part has finished", async () => {
    let finished = false;
    const slow = after(30, null).then(() => (finished = true));
    const failing = Promise.reject(new Error("evaluation table unreadable"));
    await expect(settleAll([failing, slow])).rejects.toThrow("evaluation table unreadable");
    // Promise.all would have thrown while the slow part still ran (it writes files, holds a connection).
    expect(finished).toBe(true);
  });

  it("throws the first failed part's error in the parts' order, not in time", async () => {
    const late = after(20, null).then(() => Promise.reject(new Error("first part")));
    const early = Promise.reject(new Error("second part"));
    await expect(settleAll([late, early])).rejects.toThrow("first part");
  });
});

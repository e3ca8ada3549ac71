import { describe, expect, it } from "vitest";
import { clearPublishTimings, publishTimings, timed } from "../etl/publish/publish-timing.ts";

describe("publish timings", () => {
  it("records each part's wall and CPU, sums repeated parts, keeps a failing part's time and forgets them when cleared", async () => {
    clearPublishTimings();
    expect(await timed("a", () => 1)).toBe(1);
    await timed("a", async () => {
      const until = performance.now() + 20;
      while (performance.now() < until); // busy: CPU as well as wall
    });
    await expect(timed("b", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    const parts = publishTimings();
    expect(Object.keys(parts).sort()).toEqual(["a", "b"]);
    expect(parts.a!.wall_s).toBeGreaterThanOrEqual(0.02);
    expect(parts.a!.cpu_s).toBeGreaterThan(0.01);
    clearPublishTimings();
    expect(publishTimings()).toEqual({});
  });
});

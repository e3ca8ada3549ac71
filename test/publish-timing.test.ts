import { describe, expect, it } from "vitest";
import { clearPublishTimings, publishTimings, timed } from "../etl/publish/publish-timing.ts";

describe("publish timings", () => {
  it("records each part's wall and CPU, sums repeated parts, keeps a failing part's time and forgets them when cleared", async () => {
    clearPublishTimings();
    expect(await timed("a", () => 1)).toBe(1);
    await timed("a", async () => {
      // Busy until the process has used 20 ms of CPU (not 20 ms of wall: a loaded machine may not run it).
      const start = process.cpuUsage();
      for (let used = 0; used < 20_000;) {
        const u = process.cpuUsage(start);
        used = u.user + u.system;
      }
    });
    await expect(timed("b", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    const parts = publishTimings();
    expect(Object.keys(parts).sort()).toEqual(["a", "b"]);
    expect(parts.a!.cpu_s).toBeGreaterThanOrEqual(0.02);
    expect(parts.a!.wall_s).toBeGreaterThan(0);
    clearPublishTimings();
    expect(publishTimings()).toEqual({});
  });
});

import { describe, expect, it } from "vitest";
import { sharedMonths } from "../etl/publish/patrol-data.ts";

const fold = (method: string, area_target: number, month: string) => ({ method, area_target, month });

describe("sharedMonths", () => {
  it("keeps per share only the months every method released, so bars compare the same months", () => {
    const rows = [
      // 10 %: the baseline released 2 of the 3 months the ensemble did.
      ...["2024-01", "2024-02", "2024-03"].map((m) => fold("ensemble", 0.1, m)),
      ...["2024-01", "2024-03"].map((m) => fold("last-12-months", 0.1, m)),
      // 5 %: both released all three.
      ...["2024-01", "2024-02", "2024-03"].flatMap((m) => [fold("ensemble", 0.05, m), fold("last-12-months", 0.05, m)]),
    ];
    const shared = sharedMonths(rows, ["ensemble", "last-12-months"]);
    expect([...shared.get(0.1)!].sort()).toEqual(["2024-01", "2024-03"]);
    expect([...shared.get(0.05)!].sort()).toEqual(["2024-01", "2024-02", "2024-03"]);
  });

  it("leaves a share empty where one drawn method released nothing at it, rather than comparing without it", () => {
    const rows = [fold("ensemble", 0.01, "2024-01"), fold("last-12-months", 0.05, "2024-01")];
    expect(sharedMonths(rows, ["ensemble", "last-12-months"]).get(0.01)!.size).toBe(0);
  });
});

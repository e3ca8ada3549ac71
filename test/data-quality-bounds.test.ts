/**
 * data-quality.json's bounding box (review r4, P5): each side of the incidents' own box is one
 * incident's coordinate, and rounded to 0.01° it still placed that incident within a kilometre. The
 * published box is the study area's, widened to whole degrees only where incidents lie beyond it.
 */
import { describe, expect, it } from "vitest";
import { boundsOf, publishedBounds } from "../etl/publish/data-quality.ts";

const studyArea = { west: 22.584564, south: 55.733199, east: 23.590035, north: 56.214535 };

describe("the data-quality page's bounds", () => {
  it("are the study area's where every incident lies inside it: no side is an incident's", () => {
    const incidents = { west: 22.9213, south: 55.8117, east: 23.4978, north: 56.1032 };
    expect(publishedBounds(incidents, studyArea)).toEqual(studyArea);
  });

  it("widen a side to the whole degree beyond an incident outside the study area, and only that side", () => {
    // Swapped coordinates or another city's export: the page shows it, to the degree, not to the incident.
    const incidents = { west: 20.4561, south: 55.8117, east: 23.4978, north: 56.3001 };
    expect(publishedBounds(incidents, studyArea)).toEqual({ west: 20, south: studyArea.south, east: studyArea.east, north: 57 });
  });

  it("are whole degrees without a study area", () => {
    expect(publishedBounds({ west: -1.2345, south: 52.9, east: -1.05, north: 53.01 }, null)).toEqual({ west: -2, south: 52, east: -1, north: 54 });
  });

  it("take the study area's box from its outlines' coordinates", () => {
    const polygon = [
      [
        [23.1, 55.9],
        [23.4, 55.8],
        [23.2, 56.1],
        [23.1, 55.9],
      ],
    ];
    expect(
      boundsOf([
        polygon,
        [
          [
            [22.9, 56.0],
            [23.0, 56.0],
            [22.9, 56.05],
            [22.9, 56.0],
          ],
        ],
      ]),
    ).toEqual({ west: 22.9, south: 55.8, east: 23.4, north: 56.1 });
    expect(boundsOf([])).toBeNull();
  });
});

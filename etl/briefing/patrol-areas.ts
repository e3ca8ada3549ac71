/**
 * Patrol areas: next month's priority cells grouped into compact areas an officer can patrol, in
 * priority order. The best-ranked cell not yet in an area starts the next one, which takes the
 * selected cells of its k-ring (the neighbourhood the hot-spot statistics use, so an area is at most
 * a Gi* neighbourhood: 7 cells at k = 1). A city-wide cluster thus becomes several areas, each
 * named on its own, instead of one that nobody can patrol.
 */
import { cellToLatLng, gridDisk } from "h3-js";

/** One selected cell of the forecast: its rank (1 = highest priority) and area. */
export interface PriorityCell {
  cell: string;
  rank: number;
  areaKm2: number;
}

export interface PatrolArea {
  /** 1 for the area with the best-ranked cell, then in order of each area's best rank. */
  priority: number;
  /** Its cells, best rank first. */
  cells: PriorityCell[];
  areaKm2: number;
  /** Mean of the cell centres (latitude, longitude): where the area's name and label are placed. */
  centre: [number, number];
}

export function groupPatrolAreas(selected: readonly PriorityCell[], k: number): PatrolArea[] {
  const byCell = new Map(selected.map((c) => [c.cell, c]));
  const assigned = new Set<string>();
  const groups: PriorityCell[][] = [];
  for (const seed of [...selected].sort((a, b) => a.rank - b.rank)) {
    if (assigned.has(seed.cell)) continue;
    const group = gridDisk(seed.cell, k).flatMap((cell) => {
      const member = byCell.get(cell);
      return member && !assigned.has(cell) ? [member] : [];
    });
    for (const member of group) assigned.add(member.cell);
    groups.push(group.sort((a, b) => a.rank - b.rank));
  }
  return groups.map((cells, i) => {
    const centres = cells.map((c) => cellToLatLng(c.cell));
    return {
      priority: i + 1,
      cells,
      areaKm2: cells.reduce((s, c) => s + c.areaKm2, 0),
      centre: [centres.reduce((s, [lat]) => s + lat, 0) / centres.length, centres.reduce((s, [, lon]) => s + lon, 0) / centres.length],
    };
  });
}

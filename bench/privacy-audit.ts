/**
 * A differencing audit of what a publish leaves: reads only published files — the dashboard's data
 * folder and the patrol briefings' English HTML — as an adversary would, writes every published
 * figure as a linear equation over unknown counts (cell × month × category), eliminates, and prints
 * each count or sum of counts it can work out that lies between 1 and threshold − 1, with the
 * published figures that give it. Several briefings (monthly runs) may be given: their figures add
 * up in one system. So may several releases (`--release`, repeated: each a data folder kept from one
 * monthly run, with the briefing.en.html and patrol.json that publish wrote into it), as an adversary
 * who keeps every month's site has them: their hot-spot pages, overviews and briefings in one system.
 *
 *   npx tsx bench/privacy-audit.ts --data dashboard/src/data --briefing reports/briefing/briefing-2023-01.en.html
 *   npx tsx bench/privacy-audit.ts --release site-2022-11/data --release site-2022-12/data
 *
 * A briefing whose note says its counts are rounded ("rounded to the nearest 5") enters the system
 * with each count known only to the values that round to it: a derived count is reported where every
 * value it can take, within those roundings, is 1 … threshold − 1. Not modelled: intersecting several
 * derivations of one count (one of them is found, the elimination's own).
 *
 * The unknowns are the non-negative counts of each published cell, month and per-cell category, and
 * per month and category the rest of the study area (cells never drawn). Relations used: the
 * hot-spot page's per-cell counts ("all" is the sum of the per-cell categories), the overview's
 * monthly and yearly totals, and each briefing area's last month, last 12 months and main offences
 * (the area's cells: the patrol page's selected cells grouped as the briefing groups them). Apart,
 * the patrol page's backtests: a hit rate times the month's published count, and the bands between
 * a method's nested lists and the best cells behind PEI*; and the evaluation page's "all offences" counted without the
 * sensitive categories where a cross-check sets the project's own figure for the area beside it. Not
 * modelled: bounds from non-negativity, ranks, the time-of-day and weekday splits (their own
 * dimension, released with releaseParts per area).
 * a method's nested lists and the best cells behind PEI*. Apart again, with bounds (non-negative
 * counts, a withheld one at least 1): the overview's monthly counts per municipality with their
 * categories, years and 12-month averages, and the hot-spot page's cells against their municipality's
 * month; it reports a municipality month whose count less its published cells is 1 … threshold − 1
 * (where the count tables alone do not already bound that count so),
 * and withheld counts that the averages narrow to 1 … threshold − 1. Not modelled: bounds in the
 * elimination, ranks, the time-of-day and weekday splits (their own dimension, released with
 * releaseParts per area).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { HotspotTable, MonthlyCount, PatrolData } from "../dashboard/data-contract.ts";
import { en } from "../dashboard/src/components/strings-en.ts";
import { groupPatrolAreas } from "../etl/briefing/patrol-areas.ts";
import { addMonths } from "../etl/analytics/monthly-counts.ts";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    release: { type: "string", multiple: true, default: [] },
    briefing: { type: "string", multiple: true, default: [] },
    patrol: { type: "string", multiple: true, default: [] },
  },
});
// The releases, oldest first; --data is the latest (its --briefing and --patrol files are read with it).
const releaseDirs = [...values.release, ...(values.data ? [values.data] : [])];
if (releaseDirs.length === 0) throw new Error("give --data <the dashboard's data folder> or --release <a kept data folder> (repeated)");
type Meta = { suppression_threshold: number; k: number; months: string[]; categories: string[] };
const read = async <T>(dir: string, name: string): Promise<T> => JSON.parse(await readFile(join(dir, name), "utf8")) as T;
const releases = await Promise.all(
  releaseDirs.map(async (dir) => ({
    dir,
    meta: await read<Meta>(dir, "meta.json"),
    hotspots: await read<HotspotTable>(dir, "hotspots.json"),
    monthly: await read<MonthlyCount[]>(dir, "monthly-counts.json"),
    patrol: await read<PatrolData>(dir, "patrol.json"),
    briefing: values.release.includes(dir) && existsSync(join(dir, "briefing.en.html")) ? [join(dir, "briefing.en.html")] : [],
  })),
);
const latest = releases.at(-1)!;
latest.briefing.push(...values.briefing);
const dataDir = latest.dir;
const json = async <T>(name: string): Promise<T> => read<T>(dataDir, name);
const meta = latest.meta;
const threshold = meta.suppression_threshold;
const perCell = [...new Set(releases.flatMap((r) => r.hotspots.categories))].filter((c) => c !== "all");

/** One published figure: Σ coefficient × unknown = value, and where it was read; `base`: the base it is rounded to (1: exact). */
interface Fact {
  terms: Map<number, number>;
  value: number;
  source: string;
  base: number;
}
const unknowns: string[] = [];
const unknownIndex = new Map<string, number>();
const unknown = (key: string) => {
  let i = unknownIndex.get(key);
  if (i === undefined) unknownIndex.set(key, (i = unknowns.push(key) - 1));
  return i;
};
const atom = (cell: string, month: string, category: string) => unknown(`${cell} ${month} ${category}`);
const facts: Fact[] = [];
const drawn = new Set<string>(releases.flatMap((r) => r.hotspots.cells));

/** The unknowns of cells × months × categories ("all": every per-cell category). */
const sumOf = (cells: readonly string[], months: readonly string[], category: string) => {
  const terms = new Map<number, number>();
  for (const cell of cells) for (const month of months) for (const c of category === "all" ? perCell : [category]) terms.set(atom(cell, month, c), 1);
  return terms;
};

// The hot-spot page of each release: each published count of a significant cell.
for (const { hotspots } of releases)
  for (const g of hotspots.groups) {
    g.cell.forEach((index, i) => {
      const count = g.count[i];
      if (count == null) return;
      facts.push({
        terms: sumOf([hotspots.cells[index]!], [g.month], g.category),
        value: count,
        source: `hot-spot page ${g.month} ${g.category} cell ${hotspots.cells[index]}`,
        base: 1,
      });
    });
  }

// Patrol areas of each briefing: the selected cells of the patrol page of that month (the current
// patrol.json, or earlier ones given with --patrol, e.g. kept from earlier runs).
const patrols: PatrolData[] = releases.map((r) => r.patrol).reverse();
for (const file of values.patrol) patrols.push(JSON.parse(await readFile(file, "utf8")) as PatrolData);
const labels = new Map(Object.entries(en.categories).map(([key, label]) => [label, key]));
const number = (text: string): number | null => (/^withheld/.test(text.trim()) ? null : Number(text.replace(/[^\d]/g, "")));

for (const file of releases.flatMap((r) => r.briefing)) {
  const html = await readFile(file, "utf8");
  const base = Number(/rounded to the nearest (\d+)/.exec(html)?.[1] ?? 1);
  const title = /Patrol briefing: ([A-Za-z]+ \d{4})/.exec(html)?.[1];
  const month = new Date(`1 ${title} UTC`).toISOString().slice(0, 7);
  const patrol = patrols.find((p) => p.forecast?.month === month);
  if (!patrol?.forecast) {
    console.log(`${file}: no patrol.json of ${month} given (--patrol): its areas' cells are unknown, skipped`);
    continue;
  }
  const selected = patrol.forecast.cells.filter((c) => c.method === "selected").map((c) => ({ cell: c.cell, rank: c.rank, areaKm2: c.area_km2 }));
  const areas = groupPatrolAreas(selected, meta.k);
  const last = addMonths(month, -1);
  const year = Array.from({ length: 12 }, (_, i) => addMonths(last, -i));
  const body = html.slice(html.indexOf("<tbody>"), html.indexOf("</tbody>"));
  for (const row of body.split("</tr>").filter((r) => r.includes("<td>"))) {
    const cellsText = [...row.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((m) => m[1]!);
    const area = areas[Number(cellsText[0]) - 1]!;
    const cells = area.cells.map((c) => c.cell);
    cells.forEach((c) => drawn.add(c));
    const where = `briefing ${month} area ${cellsText[0]} (${cellsText[1]})`;
    const lastMonth = number(cellsText[3]!.replace(/\(.*\)/, ""));
    if (lastMonth !== null) facts.push({ terms: sumOf(cells, [last], "all"), value: lastMonth, source: `${where} last month`, base });
    const last12 = number(cellsText[4]!);
    if (last12 !== null) facts.push({ terms: sumOf(cells, year, "all"), value: last12, source: `${where} last 12 months`, base });
    for (const part of cellsText[6]!.split(/, (?=[A-Z])/)) {
      const m = /^(.*) (withheld|[\d,]+)$/.exec(part.trim());
      const category = m && labels.get(m[1]!);
      const n = m ? number(m[2]!) : null;
      if (category && n !== null) facts.push({ terms: sumOf(cells, year, category), value: n, source: `${where} ${category} 12 months`, base });
    }
  }
}

// Months before the lake's first (a briefing's 12 months reaching back past it) held nothing: the footnote says where the figures start.
const first = releases.map((r) => r.meta.months[0]!).sort()[0]!;
for (const key of [...unknownIndex.keys()]) {
  const month = key.split(" ")[1]!;
  if (month < first) facts.push({ terms: new Map([[unknownIndex.get(key)!, 1]]), value: 0, source: `no data before ${first} (${key})`, base: 1 });
}

// The overview: each month's and year's totals over the study area (its undrawn cells as one rest per month and category).
const rest = (month: string, category: string) => unknown(`rest ${month} ${category}`);
const cellList = [...drawn];
for (const { monthly } of releases)
  for (const r of monthly) {
    if (r.count == null || r.municipality !== "") continue;
    const terms = sumOf(cellList, [r.month], r.category);
    for (const c of r.category === "all" ? perCell : [r.category]) terms.set(rest(r.month, c), 1);
    facts.push({ terms, value: r.count, source: `overview ${r.month} ${r.category}`, base: 1 });
  }
// Exact figures first: a count they determine is then derived from them alone, not through a rounded one.
facts.sort((a, b) => a.base - b.base);

// Gaussian elimination to reduced row echelon form, keeping each row's combination of facts.
interface Row {
  coef: Map<number, number>;
  value: number;
  from: Map<number, number>;
}
const rows: Row[] = [];
const pivotRow = new Map<number, Row>();
const eps = 1e-9;
const addScaled = (target: Map<number, number>, source: Map<number, number>, factor: number) => {
  for (const [k, v] of source) {
    const x = (target.get(k) ?? 0) + factor * v;
    if (Math.abs(x) < eps) target.delete(k);
    else target.set(k, x);
  }
};
facts.forEach((f, index) => {
  const row: Row = { coef: new Map(f.terms), value: f.value, from: new Map([[index, 1]]) };
  for (const [p, r] of pivotRow) {
    const c = row.coef.get(p);
    if (c === undefined) continue;
    addScaled(row.coef, r.coef, -c);
    addScaled(row.from, r.from, -c);
    row.value -= c * r.value;
  }
  if (row.coef.size === 0) return;
  const p = [...row.coef.keys()].sort((a, b) => a - b)[0]!;
  const scale = row.coef.get(p)!;
  for (const [k, v] of row.coef) row.coef.set(k, v / scale);
  for (const [k, v] of row.from) row.from.set(k, v / scale);
  row.value /= scale;
  for (const r of rows) {
    const c = r.coef.get(p);
    if (c === undefined) continue;
    addScaled(r.coef, row.coef, -c);
    addScaled(r.from, row.from, -c);
    r.value -= c * row.value;
  }
  rows.push(row);
  pivotRow.set(p, row);
});

/** Whether a sum of unknowns is determined by the published figures, and its value and recipe. */
const derive = (terms: Map<number, number>) => {
  const residual = new Map(terms);
  const from = new Map<number, number>();
  let value = 0;
  for (const [p, r] of pivotRow) {
    const c = residual.get(p);
    if (c === undefined) continue;
    addScaled(residual, r.coef, -c);
    addScaled(from, r.from, c);
    value += c * r.value;
  }
  if (residual.size > 0) return null;
  // Each rounded figure stands for any count that rounds to it (halves up; 0 is 0): the derived count's range.
  let [low, high] = [value, value];
  for (const [f, c] of from) {
    const { base, value: published } = facts[f]!;
    if (base <= 1 || published === 0) continue;
    const [below, above] = [-Math.floor(base / 2), Math.ceil(base / 2) - 1];
    low += Math.min(c * below, c * above);
    high += Math.max(c * below, c * above);
  }
  return { value: Math.round(value), low: Math.max(0, Math.ceil(low - eps)), high: Math.floor(high + eps), from };
};

/** Whether every count the range allows (never below 0) is 1 … threshold − 1. */
const small = (low: number, high: number) => low <= high && low > 0 && high < threshold;
const leaks = new Map<string, { what: string; value: number; low: number; high: number; from: Map<number, number> }>();
const report = (what: string, terms: Map<number, number>) => {
  const d = derive(terms);
  if (d && small(d.low, d.high)) {
    const key = [...terms.keys()].sort((a, b) => a - b).join(",");
    if (!leaks.has(key)) leaks.set(key, { what, ...d });
  }
};
// Targets: every cell-month-category, every cell-month of all offences, every cell's and area's
// month and 12 months per category, and every row of the eliminated system that is a plain sum.
const months = meta.months;
for (const cell of cellList)
  for (const month of months) {
    for (const c of perCell) report(`${cell} ${month} ${c}`, sumOf([cell], [month], c));
    report(`${cell} ${month} all`, sumOf([cell], [month], "all"));
  }
for (const r of rows) {
  if ([...r.coef.values()].every((v) => Math.abs(v - 1) < eps)) report(`sum of ${[...r.coef.keys()].map((k) => unknowns[k]).join(" + ")}`, r.coef);
}

// The patrol page's backtests: a month's hit rate times the overview's count of the month is what the list caught; a
// method's lists at the shares of the area are prefixes of one ranking, so two give the cells between them and the
// largest the rest of the area; hits / PEI* is the count of the best cells. Their cells are not published, so these
// counts stand outside the system above: each band is checked on its own.
const plans: Array<Pick<PatrolData, "backtest">> = [patrols[0]!, ...(await json<Array<Pick<PatrolData, "backtest">>>("patrol-categories.json"))];
const monthTotal = new Map(latest.monthly.filter((r) => r.municipality === "" && r.count != null).map((r) => [`${r.month} ${r.category}`, r.count!]));
const bands: string[] = [];
for (const { backtest } of plans) {
  if (!backtest) continue;
  const byMonth = new Map<string, Array<{ share: number; hits: number; oracle: number | null }>>();
  for (const r of backtest.monthly) {
    const n = monthTotal.get(`${r.month} ${backtest.category}`);
    if (r.hit_rate === null || n === undefined) continue;
    const hits = r.hit_rate * n;
    const key = `${backtest.category} ${r.method} ${r.month}`;
    byMonth.set(key, [...(byMonth.get(key) ?? []), { share: r.area_target, hits, oracle: r.pei_star ? hits / r.pei_star : null }]);
  }
  for (const [key, selections] of byMonth) {
    const [category, , month] = key.split(" ");
    const n = monthTotal.get(`${month} ${category}`)!;
    selections.sort((a, b) => a.share - b.share);
    for (const measure of ["hits", "oracle"] as const) {
      const counts = selections.map((s) => s[measure]).filter((c): c is number => c !== null);
      const edges = [0, ...counts, n];
      for (let j = 1; j < edges.length; j++) {
        const band = Math.round(edges[j]! - edges[j - 1]!);
        const part =
          j === edges.length - 1
            ? "the rest of the area"
            : j === 1
              ? `the ${selections[0]!.share} list`
              : `the cells between shares ${selections[j - 2]!.share} and ${selections[j - 1]!.share}`;
        if (small(band, band))
          bands.push(
            `backtest ${key}: ${measure === "oracle" ? "best cells, " : ""}${part} = ${band} (hit rate × the overview's ${n}${measure === "oracle" ? " / PEI*" : ""})`,
          );
      }
    }
  }
}

// The evaluation page: an "all offences" counted without the sensitive categories (all_excludes) set beside a figure the
// project publishes itself for the same area and case type (a cross-check's seed figures) gives, by difference, the
// area's sensitive count at any size (release-rules.ts withheldInEvaluation): every such pair is listed. Outside the
// system above: an evaluation's areas are not cells.
type PublishedCheck = {
  case_type: string;
  seed_before: number | null;
  seed_after: number | null;
  lake_before: number;
  lake_after: number;
  lake_excludes?: string[];
};
type PublishedEvaluations = { projects: Array<{ evaluations: Array<{ id: string; all_excludes?: string[]; cross_checks: PublishedCheck[] }> }> };
const evaluations = existsSync(join(dataDir, "evaluation.json")) ? await json<PublishedEvaluations>("evaluation.json") : { projects: [] };
const beside: string[] = [];
for (const ev of evaluations.projects.flatMap((p) => p.evaluations)) {
  if (!ev.all_excludes?.length) continue;
  for (const c of ev.cross_checks) {
    if (!c.lake_excludes?.length) continue;
    const sides = [["before", c.seed_before, c.lake_before] as const, ["after", c.seed_after, c.lake_after] as const];
    for (const [side, seed, lake] of sides)
      if (seed !== null)
        beside.push(`evaluation ${ev.id}, ${c.case_type} ${side}: the project's ${seed} − "all" ${lake} = ${seed - lake} of ${c.lake_excludes.join(", ")}`);
  }
}
// The overview's count tables with bounds (apart from the elimination above, which models equalities only): every
// monthly figure per municipality, category ("all" too, the sensitive ones too) and month is a variable, published or
// withheld (then at least 1: 0 is published as 0). Relations: a municipality's month and its categories, a year's
// category and its months over the municipalities, each 12-month average (its window's sum to within the rounding), and
// per municipality, month and per-cell category, the rest of the municipality beside the hot-spot page's published cells
// (its cells by hexagons.json). Bounds propagate through every relation until nothing changes. Reported: rests of
// 1 … threshold − 1 (a total minus its published cells), and withheld counts that the averages narrow (the same
// propagation without them gives a wider range) to fewer values than the threshold.
interface Bounded {
  terms: Array<[number, 1 | -1]>;
  low: number;
  high: number;
}
const variables: string[] = [];
const variableIndex = new Map<string, number>();
const lo: number[] = [];
const hi: number[] = [];
const variable = (key: string, published: number | null | undefined) => {
  let i = variableIndex.get(key);
  if (i === undefined) {
    variableIndex.set(key, (i = variables.push(key) - 1));
    lo.push(published ?? (published === null ? 1 : 0));
    hi.push(published ?? (published === null ? Infinity : 0));
  }
  return i;
};
const yearlyCounts = await json<Array<{ year: string; category: string; count: number | null }>>("yearly-counts.json");
const hexagons = await json<{ features: Array<{ properties: { cell: string; municipality: string | null } }> }>("hexagons.json");
const municipalityOf = new Map(hexagons.features.map((f) => [f.properties.cell, f.properties.municipality ?? ""]));
const named = latest.monthly.filter((r) => r.municipality !== "");
const figure = new Map(named.map((r) => [`${r.municipality} ${r.category} ${r.month}`, r]));
const municipalities = [...new Set(named.map((r) => r.municipality))].sort();
const tableCategories = [...new Set(named.map((r) => r.category))].filter((c) => c !== "all").sort();
const monthVar = (m: string, c: string, t: string) => {
  const r = figure.get(`${m} ${c} ${t}`);
  return variable(`${m} ${c} ${t}`, r ? r.count : 0); // no row: a published 0
};
const tableRelations: Bounded[] = [];
for (const m of municipalities)
  for (const t of months) {
    tableRelations.push({ terms: [[monthVar(m, "all", t), 1], ...tableCategories.map((c) => [monthVar(m, c, t), -1] as [number, -1])], low: 0, high: 0 });
  }
for (const y of yearlyCounts) {
  if (y.count === null) continue;
  const terms = municipalities.flatMap((m) => months.filter((t) => t.startsWith(y.year)).map((t) => [monthVar(m, y.category, t), 1] as [number, 1]));
  tableRelations.push({ terms, low: y.count, high: y.count });
}
// The hot-spot page's published cells per municipality, month and category: the municipality's count less them is a rest of at least 0.
const rests: Array<{ key: string; index: number; total: number }> = [];
const cellSums = new Map<string, { m: string; c: string; t: string; n: number }>();
for (const g of latest.hotspots.groups) {
  if (g.category === "all") continue;
  g.cell.forEach((c, i) => {
    const n = g.count[i];
    if (n == null) return;
    const m = municipalityOf.get(latest.hotspots.cells[c]!) ?? "";
    const key = `${m} ${g.category} ${g.month}`;
    const sum = cellSums.get(key) ?? cellSums.set(key, { m, c: g.category, t: g.month, n: 0 }).get(key)!;
    sum.n += n;
  });
}
for (const [key, { m, c, t, n }] of cellSums) {
  if (!municipalities.includes(m)) continue;
  const rest = variable(`rest of ${key} beside its published hot-spot cells`, undefined);
  [lo[rest], hi[rest]] = [0, Infinity];
  rests.push({ key, index: rest, total: monthVar(m, c, t) });
  tableRelations.push({
    terms: [
      [monthVar(m, c, t), 1],
      [rest, -1],
    ],
    low: n,
    high: n,
  });
}
const averageRelations: Bounded[] = [];
for (const r of named) {
  if (r.average_12m == null) continue;
  const t = months.indexOf(r.month);
  if (t < 11) continue;
  const terms = months.slice(t - 11, t + 1).map((month) => [monthVar(r.municipality, r.category, month), 1] as [number, 1]);
  averageRelations.push({ terms, low: 12 * r.average_12m - 6, high: 12 * r.average_12m + 5 });
}
/** Bounds of every variable after propagating through `relations` until nothing changes (or a round limit). */
const propagate = (relations: readonly Bounded[]) => {
  const [l, h] = [[...lo], [...hi]];
  for (let round = 0, changed = true; changed && round < 200; round++) {
    changed = false;
    for (const { terms, low, high } of relations) {
      // Σ a·x over the terms: its least and greatest values, counting infinite ends.
      let [min, max, minInf, maxInf] = [0, 0, 0, 0];
      for (const [i, a] of terms) {
        const [x, y] = a > 0 ? [l[i]!, h[i]!] : [-h[i]!, -l[i]!];
        if (x === -Infinity) minInf++;
        else min += x;
        if (y === Infinity) maxInf++;
        else max += y;
      }
      for (const [i, a] of terms) {
        const [x, y] = a > 0 ? [l[i]!, h[i]!] : [-h[i]!, -l[i]!];
        const othersMax = maxInf - (y === Infinity ? 1 : 0) > 0 ? Infinity : max - (y === Infinity ? 0 : y);
        const othersMin = minInf - (x === -Infinity ? 1 : 0) > 0 ? -Infinity : min - (x === -Infinity ? 0 : x);
        // a·x within [low − others' max, high − others' min]
        const [p, q] = [low - othersMax, high - othersMin];
        const [newLo, newHi] = a > 0 ? [Math.ceil(p - eps), Math.floor(q + eps)] : [Math.ceil(-q - eps), Math.floor(-p + eps)];
        if (newLo > l[i]!) [l[i], changed] = [newLo, true];
        if (newHi < h[i]!) [h[i], changed] = [newHi, true];
      }
    }
  }
  return { l, h };
};
const withAverages = propagate([...tableRelations, ...averageRelations]);
const withoutAverages = propagate(tableRelations);
// A rest whose municipality count is itself known to be 1 … threshold − 1 from the count tables alone (bounds from
// non-negativity, which their linked suppression does not model) is that count's finding, not the hot-spot page's.
const restLeaks = rests.filter(
  ({ index, total }) => small(withAverages.l[index]!, withAverages.h[index]!) && !small(withAverages.l[total]!, withAverages.h[total]!),
);
const tableBounded = rests.filter(
  ({ index, total }) => small(withAverages.l[index]!, withAverages.h[index]!) && small(withAverages.l[total]!, withAverages.h[total]!),
);
const narrowed = variables
  .map((key, i) => ({ key, i }))
  .filter(({ i }) => hi[i] === Infinity && lo[i] === 1) // withheld figures
  .filter(({ i }) => withAverages.h[i]! < threshold && !(withoutAverages.h[i]! < threshold));

console.log(`${facts.length} published figures over ${unknowns.length} unknown counts, rank ${rows.length}; threshold ${threshold}`);
console.log(`${leaks.size} derivable counts of 1 … ${threshold - 1}:`);
for (const { what, value, low, high, from } of leaks.values()) {
  console.log(`\n${what} = ${low === high ? value : `${value} (${low} … ${high} within the roundings)`}, from:`);
  for (const [f, c] of [...from].sort((a, b) => a[0] - b[0]))
    console.log(`  ${c > 0 ? "+" : "−"}${Math.abs(c) === 1 ? "" : `${Math.abs(c)} × `}${facts[f]!.source} (${facts[f]!.value})`);
}
console.log(`\n${bands.length} backtest counts of 1 … ${threshold - 1}${bands.length > 0 ? ":" : ""}`);
for (const b of bands) console.log(`  ${b}`);
console.log(`\n${beside.length} sensitive counts of an evaluation area by difference with the project's own figure${beside.length > 0 ? ":" : ""}`);
for (const b of beside) console.log(`  ${b}`);
console.log(
  `\n${restLeaks.length} municipality months whose count less the hot-spot page's published cells (hexagons.json's municipality) leaves 1 … ${threshold - 1}${restLeaks.length > 0 ? ":" : ""}`,
);
for (const { key, index } of restLeaks) console.log(`  ${key}: ${withAverages.l[index]} … ${withAverages.h[index]}`);
console.log(`  (and ${tableBounded.length} whose count is itself bounded to 1 … ${threshold - 1} by the count tables alone, not counted)`);
console.log(
  `\n${narrowed.length} withheld monthly counts that the 12-month averages narrow to 1 … ${threshold - 1} (without the averages: wider)${narrowed.length > 0 ? ":" : ""}`,
);
for (const { key, i } of narrowed)
  console.log(`  ${key}: ${withAverages.l[i]} … ${withAverages.h[i]} (without the averages ${withoutAverages.l[i]} … ${withoutAverages.h[i]})`);

// Pure helpers that shape the published JSON for drawing. No imports, so the tests run them in Node.

/** "2019-06" → the first instant of that month in UTC (Plot's default time scale is UTC). */
export function monthDate(month) {
  const [year, m] = month.split("-").map(Number);
  return new Date(Date.UTC(year, m - 1, 1));
}

/**
 * Sums monthly-counts.json over municipalities: one row per month and category (in the order of
 * `months` and `categories`, missing combinations as 0), with `count` the sum of the published counts
 * and `suppressed` how many counts were below the threshold (null) and so are not in the sum.
 */
export function monthlyTotals(rows, months, categories) {
  const key = (month, category) => `${month}\u0000${category}`;
  const sums = new Map();
  for (const {month, category, count} of rows) {
    const k = key(month, category);
    const s = sums.get(k) ?? {count: 0, suppressed: 0};
    if (count === null) s.suppressed += 1;
    else s.count += count;
    sums.set(k, s);
  }
  const out = [];
  for (const month of months) {
    for (const category of categories) {
      if (category === "all") continue;
      const s = sums.get(key(month, category)) ?? {count: 0, suppressed: 0};
      out.push({month, date: monthDate(month), category, count: s.count, suppressed: s.suppressed});
    }
  }
  return out;
}

/**
 * Pivots yearly-counts.json into one row per year, years ascending: `cells[category]` and `total`
 * (the "all" row), each `{count}` with `count` null when the published count is suppressed.
 */
export function yearlyRows(rows) {
  const years = new Map();
  for (const {year, category, count} of rows) {
    let row = years.get(year);
    if (!row) years.set(year, (row = {year, cells: {}, total: {count: null}}));
    if (category === "all") row.total = {count};
    else row.cells[category] = {count};
  }
  return [...years.values()].sort((a, b) => a.year.localeCompare(b.year));
}

/** How many published counts are suppressed, out of how many. */
export function suppressionSummary(rows) {
  let suppressed = 0;
  for (const row of rows) if (row.count === null) suppressed += 1;
  return {suppressed, total: rows.length};
}

/** The hotspots.json rows of one month and category, strongest |z| first. */
export function hotspotsFor(hotspots, month, category) {
  return hotspots
    .filter((d) => d.month === month && d.category === category)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z) || a.cell.localeCompare(b.cell));
}

/**
 * Joins hotspot rows to their hexagon outlines: GeoJSON features whose properties are the row
 * (cell, z, bin, …). Rows whose cell has no outline are left out.
 */
export function hotspotFeatures(rows, hexagons) {
  const outlines = new Map(hexagons.features.map((f) => [f.properties.cell, f.geometry]));
  const features = [];
  for (const row of rows) {
    const geometry = outlines.get(row.cell);
    if (geometry) features.push({type: "Feature", properties: row, geometry});
  }
  return features;
}

// Every piece of text the dashboard shows, in one place. English for now; a later change adds a
// Lithuanian table with the same keys and picks one of them here.

/** Confidence bins of the Gi* statistic, hottest first (ArcGIS convention: ±3 = 99 %). */
export const BINS = [3, 2, 1, -1, -2, -3];

export const en = {
  locale: "en-GB",
  overview: {
    title: "Overview",
    lead: "Recorded incidents per month in the Šiauliai city and district municipalities, by category.",
    monthlyTitle: "Incidents per month, all municipalities",
    yearlyTitle: "Incidents per year",
    summaryTitle: "Data summary",
    rowsRead: "Records read",
    rowsIngested: "Records used",
    rowsQuarantined: "Records set aside (invalid)",
    months: "Months covered",
    generated: (date) => `Data published ${date}.`,
    suppressedNote: (suppressed, total, threshold) =>
      suppressed === 0
        ? `No monthly count was below ${threshold}.`
        : `${suppressed} of ${total} monthly counts (per municipality and category) were below ${threshold} ` +
          `and are withheld (“< ${threshold}”); the sums leave them out.`,
    suppressedFootnote: (threshold) => `“< ${threshold}”: fewer than ${threshold} incidents that year, withheld to protect privacy.`,
    year: "Year",
    total: "Total",
    month: "Month",
    count: "Incidents",
    suppressedCount: "Counts below threshold",
    category: "Category"
  },
  hotspots: {
    title: "Monthly hot spots",
    lead: "Where incidents clustered in a month: H3 hexagons (resolution 8, about 0.7 km²) whose Getis-Ord Gi* statistic is significant.",
    month: "Month",
    category: "Category",
    extent: "Map extent",
    extents: {municipalities: "Whole municipalities", cells: "Cells with hot or cold spots"},
    mapTitle: (month, category) => `${category}, ${month}`,
    mapAriaLabel: "Map of hot and cold spots",
    hexagonsDescription: "hexagons",
    outlinesDescription: "municipality outlines",
    cell: "Cell",
    z: "z-score",
    bin: "Confidence",
    none: "No cell was significant in this month and category.",
    hotTableTitle: "Hot cells this month",
    noHotCells: "No hot cells this month.",
    coldCount: (n) => (n === 0 ? "No cold cells this month." : `${n} cold ${n === 1 ? "cell" : "cells"} this month.`),
    fdrNote:
      "Note: each cell is tested on its own; the confidence bins are not yet corrected for the many cells " +
      "tested at once (false discovery rate), so some 90 % cells are expected by chance alone.",
    method: (k, resolution) => `Gi* with the cell itself and its ${k}-ring neighbours, H3 resolution ${resolution}.`
  },
  binLabels: {
    3: "Hot spot 99 %",
    2: "Hot spot 95 %",
    1: "Hot spot 90 %",
    0: "Not significant",
    [-1]: "Cold spot 90 %",
    [-2]: "Cold spot 95 %",
    [-3]: "Cold spot 99 %"
  },
  // Labels of the canonical offence categories (etl/ingest/incident-schema.ts); others show as they are.
  categories: {
    all: "All categories",
    theft: "Theft",
    burglary: "Burglary",
    robbery: "Robbery",
    assault: "Assault",
    domestic_violence: "Domestic violence",
    sexual_offence: "Sexual offence",
    drug_possession: "Drug possession",
    public_order: "Public order",
    vehicle_crime: "Vehicle crime",
    fraud: "Fraud",
    criminal_damage: "Criminal damage",
    other: "Other"
  }
};

/** The strings in use. */
export const t = en;

/** Display name of a category; unknown categories show as they are. */
export function categoryLabel(category) {
  return t.categories[category] ?? category;
}

/** "2019-06" → "June 2019" (the month is a calendar month, not an instant: formatted in UTC). */
export function formatMonth(month) {
  const [year, m] = month.split("-").map(Number);
  return new Date(Date.UTC(year, m - 1, 1)).toLocaleString(t.locale, {month: "long", year: "numeric", timeZone: "UTC"});
}

/** A whole number with the locale's digit grouping. */
export function formatCount(n) {
  return n.toLocaleString(t.locale);
}

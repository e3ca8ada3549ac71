// English text of the dashboard. Same keys as strings-lt.ts (a test checks); pages reach both only
// through strings.ts. Functions take numbers already formatted for the language, and months as
// "YYYY-MM" keys (each language words them as its sentences need, see grammar.ts).
import type { HotspotInference } from "../../data-contract.js";
import { countPhrase, monthPhrase, nounFor } from "./grammar.js";

const month = (m: string) => monthPhrase("en", m);

/** A forecast method's parameters as strings.ts methodLabel gives them: formatted numbers, "∞" for no decay. */
export type MethodParameters = Partial<Record<"w" | "b" | "h" | "theta" | "gamma", string>>;

export const en = {
  lang: "en",
  locale: "en-GB",
  siteTitle: "Crime-prevention dashboard",
  languageLabel: "Language",
  nav: {
    overview: "Overview",
    hotspots: "Monthly hot spots",
    emerging: "Emerging hot spots",
    patrol: "Patrol priorities",
    evaluation: "Project evaluation",
    dataQuality: "Data quality",
  },
  common: {
    downloadCsv: "CSV",
    downloadSvg: "SVG",
    downloadPng: "PNG",
    downloadCsvTitle: "Download this table as CSV",
    downloadSvgTitle: "Download this chart as SVG",
    downloadPngTitle: "Download this chart as PNG",
    /** A chart's text alternative (chart-summary.ts): its span, lowest and highest values, and the last month's. */
    chartSeries: (first: string, last: string, low: string, high: string, latest: string) =>
      `From ${month(first)} to ${month(last)}: lowest ${low}, highest ${high}; ${month(last)}: ${latest}.`,
    chartRange: (low: string, high: string) => `Values from ${low} to ${high}.`,
    chartEmpty: "Nothing to draw.",
    /** Before the summary of a chart of one panel per category: its figures are their sums. */
    chartTotal: "All categories drawn, together",
    chartData: "The chart’s figures as a table",
    generated: (date: string) => `Data published ${date}.`,
    /** A positive amount too small to show in the digits given: "less than 0.1%". */
    lessThan: (amount: string) => `less than ${amount}`,
    suppressedFootnote: (k: number) =>
      `“Withheld”: fewer than ${k} ${nounFor("en", k, "incident")}, or a count from which such a count could be worked out by difference with other published figures; not published, to protect privacy.`,
    /** A count not published (below the threshold, or withheld to protect one that is). */
    withheld: "withheld",
    /** `byMunicipality` false: a hull study area, whose totals are the whole area's. */
    /** `count`: how many categories `names` lists (one is named as "the category …", whatever its own number). */
    sensitiveNote: (names: string, count: number, byMunicipality = true) =>
      `${count === 1 ? `The category “${names}” is` : `${names} are`} shown only as ${byMunicipality ? "municipality" : "study-area"} totals (Overview), never per cell.`,
    and: "and",
    month: "Month",
    category: "Category",
    municipality: "Municipality",
    count: "Incidents",
    notStated: "not stated",
    noRows: "Nothing to list.",
    none: "–",
    yes: "yes",
    no: "no",
  },
  map: {
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
    resetView: "Reset the view",
    keys: "Drag or use the arrow keys to move the map; scroll, pinch or press + and − to zoom; 0 resets the view.",
    police: "Police station",
    policeKey: "police station",
    placeNames: "place names",
    extent: "Map extent",
    extentAll: "Whole study area",
    extentCells: "Cells shown",
    cell: "Cell",
    place: "Place",
    hexagons: "hexagons",
    outlines: "municipality outlines",
    grid: (resolution: number, area: string, outlines: boolean) =>
      `H3 hexagons of resolution ${resolution} (about ${area} km² each)${outlines ? " over the municipality outlines" : ""}; hover over a cell or move to it with Tab for its figures.`,
    /** Credits what the map draws besides its cells (which are the product's own); "" when nothing else. */
    attribution: (outlines: boolean, places: boolean) =>
      outlines || places
        ? `${outlines && places ? "Municipality outlines and place names" : outlines ? "Municipality outlines" : "Place names"} © OpenStreetMap contributors, ODbL`
        : "",
    pinnedTitle: (place: string) => `Pinned cell: ${place}`,
    pinnedNone: "Click a cell on the map, or “Show” in the table, to pin its details here.",
    unpin: "Unpin",
    show: "Show",
    /** The header of the tables' column of "Show" buttons. */
    showColumn: "On the map",
    showCell: (place: string) => `Show ${place} on the map`,
  },
  slider: {
    play: "Play",
    pause: "Pause",
    previous: "Previous month",
    next: "Next month",
  },
  overview: {
    title: "Overview",
    lead: (area: string, byMunicipality = true) =>
      `Recorded incidents per month in the study area (${area}), by category${byMunicipality ? " and municipality" : ""}.`,
    hullArea: (ring: number) => `the H3 cells of the incidents’ hull and ${ring} ring${ring === 1 ? "" : "s"} of cells around it`,
    rowsRead: "Records read",
    rowsIngested: "Records used",
    rowsQuarantined: "Records set aside (invalid)",
    months: "Months covered",
    allMunicipalities: "All municipalities",
    monthlyTitle: (where: string) => `Incidents per month by category — ${where}`,
    trendTitle: (category: string, byMunicipality = true) => `Trend${byMunicipality ? " by municipality" : ""} — ${category}`,
    trendNote:
      "Dots: monthly counts; lines: 12-month moving average, in whole numbers, drawn only where all 12 months are published (an average over a withheld month would narrow it down). A withheld month has no dot.",
    yearlyTitle: "Incidents per year, whole study area",
    /** `count`: the incidents dated before `start` ("YYYY-MM"), the first month the analyses use; null: their number is withheld. */
    beforeAnalysis: (count: number | null, start: string) =>
      `${count === null ? "Incidents" : countPhrase("en", count, "incident")} dated before ${month(start)} (late reports or mistyped years${count === null ? "; their number is withheld, to protect privacy" : ""}) ${count === 1 ? "is" : "are"} among the records used but not charted, nor counted in the monthly and yearly figures: these start, as the hot spots, trends and forecasts do, in ${month(start)}, the first month with at least a tenth of a typical month’s incidents.`,
    /** A month after the analysed ones (meta.not_analysed): why the hot spots, trends and forecasts leave it out; `count` null: withheld. */
    notAnalysed: (m: string, reason: "not_ended" | "too_few", count: number | null) =>
      `${month(m)} is not analysed: ${
        reason === "not_ended"
          ? "it has not ended"
          : `it holds too few incidents (${count === null ? "their number is withheld, to protect privacy" : count.toLocaleString("en-GB")}) to be a whole month`
      }. Its incidents are in the monthly figures; the hot spots, trends and forecasts end with the month before.`,
    /** The label of a month not analysed where a chart marks it apart from the line (the note above says more). */
    notAnalysedMark: (reason: "not_ended" | "too_few"): string => (reason === "not_ended" ? "not analysed: has not ended" : "not analysed: too few incidents"),
    /** `byMunicipality` false: a hull study area, whose counts are per category only. */
    suppressedNote: (suppressed: number, total: number, k: number, byMunicipality = true) =>
      suppressed === 0
        ? `Every monthly count is published.`
        : `${suppressed} of ${total} monthly counts (per ${byMunicipality ? "municipality and " : ""}category) are withheld: below ${k}, or withheld so that a smaller one cannot be worked out by difference; the sums leave them out, and a month with nothing published but withheld counts (and zeros) is a gap in its line, not a 0.`,
    year: "Year",
    total: "Total",
    suppressedCount: "Withheld counts",
    movingAverage: "12-month average",
  },
  hotspots: {
    title: "Monthly hot spots",
    pinnedNotSignificant: "Not significant in this month and category.",
    /** The pinned cell's hot months (bin > 0 at 90 % or more, as the map draws them with FDR on or off). */
    hotMonths: (n: string, total: string, fdr: boolean) =>
      `Hot (90 % or more${fdr ? ", after FDR" : ""}) in ${n} of the ${total} months of this category. Each month is tested${fdr ? " and corrected" : ""} on its own, so this counts separate monthly results; it is not a test across the months.`,
    lead: "Where incidents clustered in a month: H3 cells whose Getis-Ord Gi* statistic is significant, hot (more incidents in the cell and its neighbours than if the month’s incidents were spread at random over the study area’s cells) or cold (fewer). The comparison is with an even spread, not with population or activity, so hot spots partly mark where people live, work and go out.",
    fdr: "Control the false discovery rate (FDR)",
    mapTitle: (m: string, category: string, fdr: boolean) => `${category}, ${month(m)}${fdr ? " (FDR-controlled)" : ""}`,
    mapAriaLabel: "Map of hot and cold spots",
    z: "z-score",
    bin: "Confidence",
    legend: "Gi* confidence bin",
    none: "No cell was significant in this month and category.",
    untested:
      "Too few incidents to test in this month and category: they all lie in one cell, or are so few that no cell could reach 90 % confidence. No hot or cold spots are shown.",
    noData: "No hot-spot analysis in the data (run the analyse stage).",
    summary: (hot: string, cold: string) => `Hot cells: ${hot}; cold cells: ${cold}.`,
    tableTitle: "Significant cells this month",
    countNote: (k: number) =>
      `Incidents: the cell’s count in that month and category. A count below ${k}, or one that would let a smaller one be worked out by difference, shows as “withheld”.`,
    allExcludes: (names: string) =>
      `“All categories” on this page leaves out ${names}: its hot spots and counts are computed without them, so that nothing per cell depends on them.`,
    withheld: (n: number | string, k: number) =>
      `${n} more significant cell${n === "1" ? " is" : "s are"} not shown: fewer than ${k} incidents in the cell and its neighbours, which the confidence bin would give away.`,
    fdrOff:
      "FDR control is off: each cell is tested on its own. With thousands of cells tested every month, some 90 % and 95 % cells are expected by chance alone. Switch FDR control on to keep only the cells that stay significant when the Benjamini–Hochberg procedure holds the expected share of false discoveries at each confidence level.",
    fdrOn:
      "FDR control is on: the Benjamini–Hochberg procedure is applied to each month and category on its own, over the study area’s cells; the bins are those left after it, and cells that were significant only without it are not drawn. Nothing is corrected across months or categories.",
    method: (k: number, resolution: number) =>
      `Gi* over each cell and its ${k}-ring neighbours, H3 resolution ${resolution}; bins as ArcGIS reports them (±3 = 99 %, ±2 = 95 %, ±1 = 90 %). A hot cell is a hot neighbourhood: where incidents are few, a cell with none of its own can be hot because its neighbours hold them.`,
    /** How the shown month's p-values were obtained (hotspots.json `inference`: tested category-months per method; `permutations`: the Monte Carlo replicates). */
    pValues: (used: HotspotInference, permutations: number | null) => {
      const ways = [
        [used.exact, "conditional randomisation, from its exact distribution"],
        [
          used.monte_carlo,
          `conditional randomisation, estimated from ${permutations === null ? "random" : `${permutations.toLocaleString("en-GB")} random`} permutations`,
        ],
        [used.normal, "the normal approximation of the z-score, without randomisation"],
      ] as const;
      const present = ways.filter(([n]) => n > 0);
      const how = used.exact + used.monte_carlo > 0 ? " (randomisation: each cell’s own count stays, the others are permuted over the study area)" : "";
      if (present.length === 1) return `p-values this month: ${present[0]![1]}${how}.`;
      const tested = used.exact + used.monte_carlo + used.normal;
      return `p-values this month, of the ${tested} categories tested: ${present.map(([n, way]) => `${way} for ${n}`).join("; ")}${how}.`;
    },
  },
  emerging: {
    title: "Emerging hot spots",
    lead: (months: number | string, first: string, last: string) =>
      `How each cell’s hot-spot status developed over ${months} months (${month(first)} – ${month(last)}): the patterns of ArcGIS Emerging Hot Spot Analysis, from the monthly Gi* bins and a Mann-Kendall trend test of each cell’s z-scores.`,
    mapTitle: (category: string, last: string) => `${category}: patterns up to ${month(last)}`,
    mapAriaLabel: "Map of emerging hot-spot patterns",
    pattern: "Pattern",
    meaning: "Meaning",
    /** The header of the pattern swatches' column (read by screen readers only). */
    colour: "Colour and symbol on the map",
    cells: "Cells",
    hotMonths: "Hot months",
    coldMonths: "Cold months",
    trendZ: "Trend z",
    trendP: "Trend p",
    meaningsTitle: "What the patterns mean",
    tableTitle: "Cells with a pattern",
    none: "No cell shows a pattern.",
    pinnedNoPattern: "No pattern is published for this cell: it has none, or its pattern is withheld (see the note under the map).",
    withheld: (n: string, k: number, more: boolean) =>
      `${n === "1" ? "The pattern of 1" : `The patterns of ${n}`}${more ? " more" : ""} cell${n === "1" ? " is" : "s are"} withheld: in a month where the cell was significant, it and its neighbours held fewer than ${k} incidents, which the pattern would give away. The counts per pattern leave ${n === "1" ? "it" : "them"} out.`,
    noData: "No emerging hot-spot analysis in the data (run the analytics stage).",
    settings: (bin: number, fdr: boolean, alpha: string, window: number | null) =>
      `${
        window === null
          ? "Each month’s bins are that month’s Gi*, with p-values from the normal approximation"
          : `Each month’s bins are space-time Gi*: the cell’s neighbourhood is its ring in that month${window === 0 ? " only" : ` and the ${window === 1 ? "month" : `${window} months`} before`}, with p-values by conditional randomisation over all cells and months (each cell-month keeps its own count, the others are permuted over every cell and month), so a cell-month is hot where its neighbourhood holds more incidents than scattering the period’s incidents at random over cells and months would put there. That comparison does not keep each month’s total: where the whole area’s monthly count rises or falls strongly, cells can show new, consecutive or oscillating patterns without any local cluster`
      }. A month counts as hot or cold when the cell’s bin is ±${bin} or stronger${fdr ? ` after FDR control (${window === null ? "within each month" : "over all cells and months of this category at once"})` : ""}. The trend test (Mann-Kendall, its variance corrected for the dependence between nearby months: Hamed–Rao) is run for each cell on its own at α = ${alpha}, so about that share of cells without any trend show one by chance.`,
    skipped: (categories: string, minimum: number | string, months: number | string) =>
      `Not analysed, too sparse for the method: ${categories}. The trend test needs incidents in at least ${minimum} months; of the ${months} months analysed, fewer had any.`,
  },
  patrol: {
    title: "Patrol priorities",
    lead: (m: string, share: string, from: string, to: string) =>
      `Cells ranked for ${month(m)}: the first cells covering ${share} of the study area under each scoring method, from the incidents of ${month(from)} – ${month(to)}.`,
    method: "Scoring method",
    mapTitle: (m: string, method: string) => `${month(m)}: ${method}`,
    mapAriaLabel: "Map of patrol-priority cells",
    /** A link past the map's cells, one tab stop each, to the table that lists them. */
    skipMap: "Skip the map’s cells to the table",
    rank: "Rank",
    score: "Score",
    area: "Area, km²",
    cumulativeShare: "Area covered",
    tableTitle: "Ranked cells",
    noForecast: "No patrol-priority forecast in the data (run the analytics stage).",
    beyondData: (months: string[], last: string) =>
      `Not shown: the forecast for ${months.map((m) => month(m)).join(", ")}. The data end in ${month(last)}, so it counted the months in between as months without incidents. Ingest those months and run again; this page shows the plan for the month after the data.`,
    backtestTitle: "How well each method predicted past months",
    measure: "Measure",
    areaShare: "Share of area",
    months: "Months",
    meanTitle: "Mean accuracy by method and share of area",
    monthlyTitle: (share: string) => `Accuracy month by month at ${share} of the area`,
    monthlyTitleNoShare: "Accuracy month by month",
    backtestNote: (first: string, last: string, months: number | string, history: number | string, withheld: boolean) =>
      `Rolling-origin backtest: each month from ${month(first)} to ${month(last)} was forecast from the months before it only (at least ${history} months of history); bars are means over the months every method drawn has published: ${withheld ? "up to " : ""}${months} (a bar’s tip says how many).${withheld ? " A month whose figures, with the month’s published count, would give a small count back (the incidents a list caught, or those between two shares of the area) is withheld: a gap in the lines, left out of the means." : ""}`,
    noBacktestChart: "No backtest month to draw.",
    noBacktest: "No backtest of this category: the monthly run backtests “All categories” only (`hotspots backtest --category` adds one).",
    noBacktestAll: "No backtest yet: the monthly run (or `hotspots backtest`) scores the methods on the months before each one.",
    backtestTooFewMonths: (months: string, history: string, needed: string) =>
      `No backtest yet: the data cover ${months} months, and the backtest scores a month only from the ${history} months before it, so it needs at least ${needed} months.`,
    backtestNoScoredMonth: (months: string, history: string) =>
      `No backtest: of the ${months} months in the data, none after the first ${history} held an incident to score a forecast on.`,
    chosen: (m: string, method: string, margin: string, runnerUp: string, gain: string, months: number | string) =>
      `For ${month(m)} the forecast uses ${method}: the method${method.includes(" + ") ? "s" : ""} that predicted the previous ${months} backtest months best at 1 % and 5 % of the area${method.includes(" + ") ? ", scores averaged" : ""} (the best ${margin} ahead of ${runnerUp} and ${gain} above the last-12-months baseline over those months — the months it was chosen on, so it is likely to lead by less on the months to come; the backtest's “Selected by backtest” row shows its record on months it was not chosen on).`,
    chosenBaseline: (margin: string, runnerUp: string) =>
      `No method beat the last-12-months baseline by more than its month-to-month noise over the previous backtest months, so the baseline is the selected forecast (the closest method, ${runnerUp}, fell short by ${margin}).`,
    /** `chosen` where its margin and gain are withheld (a backtest month they average over is). */
    chosenWithheld: (m: string, method: string, runnerUp: string, months: number | string) =>
      `For ${month(m)} the forecast uses ${method}: the method${method.includes(" + ") ? "s" : ""} that predicted the previous ${months} backtest months best at 1 % and 5 % of the area${method.includes(" + ") ? ", scores averaged" : ""}, ahead of ${runnerUp} and of the last-12-months baseline. By how much is withheld: it would give back backtest months that are withheld.`,
    /** `chosenBaseline` where the margin is withheld. */
    chosenBaselineWithheld: (runnerUp: string) =>
      `No method beat the last-12-months baseline by more than its month-to-month noise over the previous backtest months, so the baseline is the selected forecast (the closest method was ${runnerUp}; by how much it fell short is withheld: it would give back backtest months that are withheld).`,
    chosenTooShort: "Too little history to choose a method: the last-12-months baseline is the selected forecast.",
    chosenNeverHit: (months: string) =>
      `In the previous ${months} backtest months the last-12-months baseline’s cells caught no incident, so no method’s gain over it can be measured: the baseline is the selected forecast.`,
    chosenBaselineAlone: "No other method had a backtest to set against the last-12-months baseline (no runner-up), so the baseline is the selected forecast.",
    noRunnerUp: "no runner-up",
    leadCut: (m: string, share: string, shown: string, from: string, to: string) =>
      `Cells ranked for ${month(m)} from the incidents of ${month(from)} – ${month(to)}: each scoring method ranks the first cells covering ${share} of the study area. This method’s list stops before its first withheld rank and covers ${shown} of the study area.`,
    withheldRanks: (n: string, first: string, last: string, below: string, k: number) =>
      `${n} ranked cell${n === "1" ? " is" : "s are"} withheld, the first at rank ${first}: the incidents its ranking rests on number 1 to ${k - 1}, which the rank would give away. ${last === "0" ? "So no cell can be listed" : `So the list stops at rank ${last}`}${below === "0" ? "" : `: the ${below} published cell${below === "1" ? "" : "s"} ranked below rank ${first} ${below === "1" ? "is" : "are"} left out, so that none is taken for the next priority`}.`,
    leadNoShare: (m: string, from: string, to: string) =>
      `Cells ranked for ${month(m)} under each scoring method, from the incidents of ${month(from)} – ${month(to)}.`,
    pinnedNotRanked: "Not among the cells listed for this method and category.",
    categoryNote: (byMunicipality = true) =>
      `Each category is ranked from its own incidents; “All categories” leaves out the categories shown only as ${byMunicipality ? "municipality" : "study-area"} totals.`,
    compareTitle: "Each method against the last-12-months baseline",
    compareNote:
      "Over the same months: incidents caught by the top 10 and 20 cells, PAI over the last 12 months, and the mean PAI difference from the last-12-months baseline with its 95 % interval (from an equal-weighted cosine variance with Student's t, which allows for consecutive months being alike and is wider the fewer months are compared, so that it covers the true difference close to 95 % of the time even in a year or two of months; none under 6 months compared) and the months won and lost. Each mean counts the months its method has published (“Months”); the difference, its interval and the months won and lost count only the months both the method and the baseline have published (“Months compared”). The last 12 months alone are too few to tell apart methods whose PAI differs by a few tenths: a method ahead over the whole backtest can trail the baseline for a year, for instance when new places become busy and those that were busy two years ago go quiet, which no choice made from the months before could foresee. Where the interval includes 0, the backtest cannot tell the two apart.",
    top10: "Incidents in top 10 cells",
    top20: "Incidents in top 20 cells",
    recentPai: "PAI, last 12 months",
    difference: "PAI − baseline",
    interval: "95 % interval",
    winsLosses: "Months won / lost",
    pairedMonths: "Months compared",
    measures: {
      hit_rate: { label: "Hit rate", description: "Share of the month’s incidents that fell in the selected cells." },
      pai: {
        label: "PAI",
        description: "Predictive accuracy index: the hit rate divided by the share of area selected (1 = no better than chance; higher is better).",
      },
      pei_star: {
        label: "PEI*",
        description: "Predictive efficiency index: the PAI divided by the best PAI any choice of as many cells could have reached (1 = perfect).",
      },
    },
    // Names of the parameterised forecast methods by family (ids such as "ewma(h=12)", see strings.ts methodLabel).
    families: {
      window: (p: MethodParameters) => `Incidents of the last ${p.w} months`,
      ewma: (p: MethodParameters) => (p.h === "∞" ? "Age-weighted history, no decay" : `Age-weighted history (half-life ${p.h} months)`),
      kde: (p: MethodParameters) => `Smoothed over neighbouring cells (kernel width ${p.b}, ${p.h === "∞" ? "no decay" : `half-life ${p.h} months`})`,
      "self-exciting": (p: MethodParameters) => `Near-repeat model (triggering weight ${p.theta}, background half-life ${p.h} months)`,
      "seasonal-kde": (p: MethodParameters) => `Smoothed, with the same season in earlier years (season weight ${p.gamma})`,
      ensemble: () => "Mean of four methods (ensemble)",
      // Weight 0 only breaks the baseline's ties (etl/analytics/forecast-stacking.ts).
      stacked: (p: MethodParameters, partner: string | null) =>
        p.w === "0" ? `Last 12 months, ties broken by “${partner ?? "?"}”` : `Last 12 months blended with “${partner ?? "?"}” (its weight ${p.w})`,
    },
    methods: {
      selected: {
        label: "Selected by backtest",
        description:
          "Each month, the method that forecast the earlier months best in the backtest (the last-12-months baseline unless another method beat it at 1 % and 5 % of the area).",
      },
      "ewma-ring": {
        label: "Recent counts with neighbours (EWMA)",
        description: "Counts of the last 12 months, weighted down exponentially with age (half-life 3 months), plus half the neighbours’ weighted counts.",
      },
      "gi-star-mean": {
        label: "Mean Gi* z-score",
        description: "The mean monthly Gi* z-score of the last 12 months: how consistently the cell sat in a hot spot.",
      },
      "last-month": { label: "Last month’s count (baseline)", description: "The cell’s incidents in the previous month." },
      "last-12-months": { label: "Last 12 months’ count (baseline)", description: "The cell’s incidents in the previous 12 months." },
      "ewma-fitted": {
        label: "Age-weighted history (half-life fitted to the city)",
        description: "The cell’s counts weighted down with age, with the half-life that best forecast the earlier months, month by month.",
      },
    },
  },
  evaluation: {
    title: "Project evaluation",
    lead: "Per project: what it set out to do and what it reached (indicators against targets), and, where the incident data cover its area, a before/after comparison with confidence intervals and its context.",
    project: "Project",
    promoter: "Promoter",
    programme: "Programme",
    funding: "Funding",
    period: "Period",
    country: "Country",
    dataLanguage: (_translated: boolean) => "Project and indicator names are quoted as the source documents give them.",
    indicatorsSummary: (n: number | string) => `Indicators (${n}): figures, targets and baselines`,
    evaluationDetails: "Details: reading, yearly history, context and caveats",
    baselinePeriod: "Baseline period",
    achievedQualifier: "Achieved: how stated",
    qualifiers: { exact: "exact", approximate: "about", more_than: "over" },
    changeFromBaseline: "Change from baseline",
    percentChangeFromBaseline: "Change from baseline, %",
    desiredDirection: "Desired direction",
    indicatorsTitle: "Indicators",
    indicator: "Indicator",
    kind: "Kind",
    kinds: { process: "Process", outcome: "Outcome" },
    unit: "Unit",
    baseline: "Baseline",
    target: "Target",
    achieved: "Achieved",
    percentOfTarget: "% of target",
    status: "Status",
    targetsTitle: "Indicators against targets",
    targetsNote: "Bars: what was reached as a share of the target (the checkpoints’ sum when no total is stated); the line marks 100 %.",
    noTargets: "No indicator of this project states both a target and a result.",
    baselineTitle: "Indicators against their baseline",
    noBaselines: "No indicator of this project states both a baseline and a result.",
    statuses: {
      exceeded: "Target exceeded",
      met: "Target met",
      notReached: "Target not reached",
      checkpoints: (pct: string) => `No total stated; the checkpoints add up to ≈ ${pct} of the target`,
      noResult: "Target set; no result stated",
      // Worded to start with a letter: a status cell starting with "+" would be guarded as a formula in CSV.
      change: (change: string, pct: string) => `Change from the baseline: ${change} (${pct})`,
      achievedOnly: "Achieved; no target stated",
      nothing: "No figure stated",
    },
    qualified: { approximate: (v: string) => `about ${v}`, more_than: (v: string) => `over ${v}` },
    verdict: {
      title: "Verdict",
      targetedTitle: "What was targeted",
      reachedTitle: "What was reached",
      outcomeTitle: "What the incident data can and cannot show",
      can: "What the figures show",
      cannot: "What they cannot show",
      noTargets: "The project's documents state no numeric target.",
      target: (name: string, target: string, period: string | null) => `${name}: ${target}${period ? ` (${period})` : ""}.`,
      reached: (name: string, value: string, target: string, pct: string, status: string) =>
        `${name}: ${value} of ${target} (${pct}) — ${status.toLowerCase()}.`,
      checkpoints: (name: string, value: string, target: string, pct: string) =>
        `${name}: no total is stated; the checkpoints add up to ${value} of ${target} (≈ ${pct}).`,
      noResult: (name: string) => `${name}: no result is stated.`,
      others: (n: number | string, withBaseline: number, desired: number) => {
        const moved =
          withBaseline === 0
            ? ""
            : desired === withBaseline
              ? `; ${withBaseline === 1 ? "the one" : `all ${withBaseline}`} with a baseline moved in the desired direction`
              : `; ${desired} of the ${withBaseline} with a baseline moved in the desired direction`;
        return `${n === 1 ? "One result is" : `${n} results are`} stated without a target${moved} (see the indicators below).`;
      },
      noFigure: (n: number | string) => `${n === 1 ? "One indicator states" : `${n} indicators state`} no figure at all.`,
      measured: (what: string, area: string, before: string, beforeLabel: string, after: string, afterLabel: string, way: string) =>
        `${what} in ${area}: ${before} (${beforeLabel}) → ${after} (${afterLabel}), ${way}.`,
      desired: (direction: string) => `in the desired direction (${direction})`,
      against: (direction: string) => `against the desired direction (${direction})`,
      noChange: "no change",
      significant: (p: string) => `The change is larger than chance alone would explain (exact test p = ${p}).`,
      tooSmall: "Counts this small cannot tell a change of this size from chance: absence of evidence, not evidence of no effect.",
      chance: "Chance alone could explain the change.",
      // p below α but the interval of the rate ratio holds 1: the two exact methods disagree (Fay 2010).
      borderline: (p: string, alpha: string, level: string, low: string, high: string) =>
        `Borderline: the exact test's p = ${p} is below ${alpha} but its ${level} interval of the rate ratio, ${low} to ${high}, includes no change: the two exact methods disagree at this border; treat the change as unconfirmed.`,
      noControl: "What would have happened without the project: there is no comparison area.",
      controlLimits: "What would have happened without the project, other than approximately: see the note on the comparison area.",
      registered: "How much offending itself changed: registered cases also count reporting and police activity.",
      design: (level: number, atBest: boolean, meaning: string) =>
        `How strong the design is: Maryland Scientific Methods Scale level ${level}${atBest ? " at best" : ""} of 5 (${meaning}).`,
      detectable: (power: string, rise: string | null, fall: string | null) =>
        `What these counts could have detected with ${power} power: ${rise ? `a rise of at least ${rise}` : "no rise"}${fall ? ` or a fall of at least ${fall}` : "; no fall could have been detected"}.`,
      placeboSpace: (rank: number, n: number, p: string, minP: string) =>
        `Against the same comparison in the data's other localities (placebos), this change ranks ${rank} of ${n} by size (p = ${p}; with ${n} localities p cannot go below ${minP}).`,
      noEvaluation: "The incident data do not cover this project's area, so they can show nothing about its outcome; the figures are the project's own.",
      evaluationError: (title: string) => `${title}: the evaluation could not be run (the reason is below).`,
    },
    noProjects: "No project in the data",
    projectsInData: "Projects in the data",
    noProjectsWhy:
      "No project file was given for this lake: the bundled projects belong to the demo's data only. Give a project's documents and indicators with `hotspots context --projects <file>` to evaluate it here.",
    noEvaluation: "The incident data do not cover this project’s area, so only its indicators are shown.",
    evaluationTitle: (title: string) => `Before and after: ${title}`,
    evaluationError: (message: string) => `This evaluation could not be run: ${message}`,
    areas: (area: string, control: string | null) => (control ? `Area: ${area}. Comparison area: ${control}.` : `Area: ${area}. No comparison area.`),
    periods: (before: string, after: string) => `Before: ${before}. After: ${after}.`,
    caseType: "Case type",
    before: "Before",
    after: "After",
    change: "Change",
    rateRatio: "Rate ratio",
    interval: (level: string) => `${level} CI`,
    intervalLow: (level: string) => `${level} CI, lower`,
    intervalHigh: (level: string) => `${level} CI, upper`,
    exactP: "p (exact test)",
    eTestP: "p (E-test)",
    comparison: "Comparison area",
    beforeAfterTitle: (level: string) => `Counts before and after, with ${level} confidence intervals`,
    beforeAfterNote: "Exact Poisson intervals of each count; the before count is scaled to the after period’s length.",
    rateRatioTitle: (level: string) => `Rate ratio after / before, with its ${level} confidence interval`,
    rateRatioNote: "1 = no change. When the interval contains 1, chance alone could explain the change.",
    readingTitle: "Reading",
    reading: {
      counts: (what: string, before: string, after: string, change: string, pct: string) => `${what}: ${before} → ${after} (${change}, ${pct})`,
      desired: (direction: string) => `in the desired direction (${direction})`,
      against: (direction: string) => `against the desired direction (${direction})`,
      noChange: "no change",
      significant: (p: string) => `The change is statistically significant (exact test p = ${p}).`,
      tooSmall: (p: string) => `Counts this small cannot show a significant change (p = ${p}): absence of evidence, not evidence of no effect.`,
      notSignificant: (p: string) => `Not statistically significant (p = ${p}); chance can explain the change.`,
      wdd: (wdd: string, low: string, high: string, p: string) =>
        `Against the comparison area, the weighted displacement difference is ${wdd} (${low} to ${high}, p = ${p}).`,
      exposure: (before: string, after: string, per: string, what: string, p: string) => `Cases a year per ${per} ${what}: ${before} → ${after} (p = ${p}).`,
    },
    directions: { increase: "increase", decrease: "decrease" },
    // The Maryland Scientific Methods Scale (Sherman et al. 1997; Farrington et al. 2002), by level.
    smsLevels: {
      1: "a correlation at one point in time, with no comparison over time",
      2: "before and after in the project area, with no comparable control",
      3: "before and after in the project area and in a comparable control area",
      4: "before and after in several project and control areas, other factors controlled",
      5: "areas randomly assigned to the project and to control",
    },
    crossCheckTitle: "The lake’s counts against the project’s own figures",
    /** `reading` as etl/evaluation/lake/project-report.ts crossCheckReading gives it; `excluded`: the categories the lake's figure leaves out. */
    crossCheck: (
      what: string,
      seedBefore: string,
      seedAfter: string,
      lakeBefore: string,
      lakeAfter: string,
      reading: "agrees" | "differs" | "excluded",
      excluded: string,
    ) =>
      `${what}: project ${seedBefore} → ${seedAfter}, lake ${lakeBefore} → ${lakeAfter} — ${
        reading === "agrees"
          ? "they agree"
          : reading === "differs"
            ? "they differ"
            : `not the same figure: the lake’s leaves out ${excluded}, which the project’s may count, so the difference may be that alone`
      }.`,
    historyTitle: "Incidents per year in the area and the comparison area",
    historyNote: "Shaded: the before and after periods.",
    area: "Area",
    contextTitle: (what: string, where: string) => `Context: ${what} per year, ${where}`,
    contextSource: (source: string) => `Source: ${source}.`,
    exposures: { immigrants_registered: "immigrants registered" },
    exposuresPer: { immigrants_registered: "immigrants registered" },
    designTitle: "Design, power and placebo tests",
    designWhy: "Why this level, and what would raise it (as the evaluation module words it):",
    its: (category: string, month: string, ratio: string, low: string, high: string, p: string) =>
      `${category}: the interrupted time series puts the change in level in ${monthPhrase("en", month)} at ×${ratio} (${low} – ${high}, p = ${p}).`,
    itsRefused: (category: string) => `${category}: no time series model could be fitted (the evaluation module's reason is below).`,
    placeboTime: (n: number | string, share: string) =>
      `${n === 1 ? "one false intervention month" : `${n} false intervention months`} (in-time placebos): ${share} of them show a step at least as large.`,
    monthsNeeded: (change: string, months: string | null) =>
      `to detect a moderate change (${change}), each of two equal periods would need ${months === null ? "more than 50 years" : `${months} months`}.`,
    synthetic: (category: string, donors: number, treated: string, expected: string, ratio: string, fit: string, weights: string) =>
      `${category}: a synthetic control from ${donors} other localities, weighted to match the area's months before the intervention (fit RMSPE ${fit}): ${treated} cases after it against ${expected} expected (×${ratio}); largest weights: ${weights}. It is only as untreated as its donors.`,
    syntheticPlacebo: (rank: number, n: number, p: string, smallest: string) =>
      `Against each donor's own synthetic control, the gap after the intervention (relative to the fit before) ranks ${rank} of ${n} (p = ${p}; with ${n - 1} placebos p cannot be below ${smallest}).`,
    syntheticRefused: (category: string) => `${category}: no synthetic control could be built (the evaluation module's reason is below).`,
    polygonArea: (file: string) => `polygon ${file}`,
    excludingAreas: (area: string, excluded: string[]) => `${area} excluding ${excluded.join(" and ")}`,
    displacement: (what: string, before: string, after: string, wdq: string, wdqLow: string, wdqHigh: string, tne: string, tneLow: string, tneHigh: string) =>
      `${what}: in the buffer around the area ${before} → ${after}; weighted displacement quotient ${wdq} (${wdqLow} to ${wdqHigh}), total net effect ${tne} (${tneLow} to ${tneHigh}).`,
    caveatsTitle: "Caveats",
    caveatsLanguage: "",
  },
  quality: {
    title: "Data quality",
    lead: "What each input file gave: records read, used and set aside (quarantined) with the reason, warnings, and how complete times and coordinates were. Set-aside records stay in the lake with their line and reason: nothing is dropped silently.",
    files: "Files",
    filesTitle: "Input files",
    file: "File",
    source: "Source description",
    read: "Read",
    ingested: "Used",
    quarantined: "Set aside",
    quarantinedShare: "Set aside, %",
    withoutCoordinates: "Without coordinates, %",
    months: "Months",
    first: "First month",
    last: "Last month",
    precision: "Time precision",
    bounds: "Bounding box (the study area’s; to whole degrees where incidents lie beyond it)",
    boundsValue: (latitudes: string, longitudes: string) => `${latitudes}, ${longitudes}`,
    /** Degrees without sign: the hemisphere says which side of the equator or of Greenwich. */
    hemispheres: { north: "N", south: "S", east: "E", west: "W" },
    degreeRange: (from: string, fromSide: string, to: string, toSide: string) =>
      fromSide === toSide ? `${from}–${to} ${toSide}` : `${from} ${fromSide} – ${to} ${toSide}`,
    records: "Records",
    checksum: "SHA-256 (start)",
    reason: "Reason",
    code: "Code",
    reasonsTitle: "Records set aside by reason",
    noQuarantine: "No record was set aside.",
    warningsTitle: "Records kept with a warning",
    noWarnings: "No record needed a warning.",
    warning: "Warning",
    monthlyTitle: "Records used per month, by file",
    reasons: {
      malformed_record: "Malformed record",
      invalid_encoding: "Invalid text encoding",
      invalid_timestamp: "Invalid or impossible time",
      nonexistent_local_time: "Local time that does not exist (spring DST gap)",
      missing_coordinates: "Coordinates missing",
      invalid_coordinates: "Coordinates invalid",
      swapped_coordinates: "Latitude and longitude swapped",
      outside_study_area: "Outside the source’s bounds",
      outside_municipality: "Outside the municipality it names",
      missing_value: "Required value missing",
      unknown_case_type: "Unknown case type",
      unmapped_offence: "Offence not mapped to a category",
      excluded_offence: "Not an offence (excluded by the source description)",
      formula_text: "Spreadsheet formula in a field",
      exact_duplicate: "Exact duplicate row",
      repeated_id: "Repeated id with different content",
      id_in_other_export: "Incident already counted from another export",
    },
    warnings: { ambiguous_local_time: "Ambiguous local time (autumn DST overlap; the first occurrence taken)" },
    precisions: { second: "second", minute: "minute", hour: "hour", day: "day", month: "month" },
  },
  binLabels: {
    3: "Hot spot 99 %",
    2: "Hot spot 95 %",
    1: "Hot spot 90 %",
    0: "Not significant",
    [-1]: "Cold spot 90 %",
    [-2]: "Cold spot 95 %",
    [-3]: "Cold spot 99 %",
  },
  caseTypes: { all: "all case types", pre_trial_investigation: "pre-trial investigations", administrative_offence: "administrative offences" },
  // Labels of the canonical offence categories (etl/ingest/incident-schema.ts); others show as they are.
  categories: {
    all: "All categories",
    theft: "Theft",
    burglary: "Burglary",
    robbery: "Robbery",
    homicide: "Homicide",
    assault: "Assault",
    domestic_violence: "Domestic violence",
    sexual_offence: "Sexual offences",
    drug_possession: "Drug possession",
    public_order: "Public order",
    vehicle_crime: "Vehicle crime",
    fraud: "Fraud",
    criminal_damage: "Criminal damage",
    other: "Other",
  },
  patterns: {
    new_hot_spot: ["New hot spot", "Hot in the final month and never before (also when it was a cold spot earlier: such a cell is new, not oscillating)."],
    consecutive_hot_spot: [
      "Consecutive hot spot",
      "One unbroken run of hot months ending with the final month, never hot before it (also when it was a cold spot earlier), hot in fewer than 90 % of months.",
    ],
    intensifying_hot_spot: [
      "Intensifying hot spot",
      "Hot in at least 90 % of months including the final one, and getting hotter (a significant upward trend).",
    ],
    persistent_hot_spot: ["Persistent hot spot", "Hot in at least 90 % of months including the final one, with no significant trend."],
    diminishing_hot_spot: ["Diminishing hot spot", "Hot in at least 90 % of months including the final one, but cooling (a significant downward trend)."],
    sporadic_hot_spot: ["Sporadic hot spot", "Hot in the final month and on and off before, in fewer than 90 % of months, never a cold spot."],
    oscillating_hot_spot: [
      "Oscillating hot spot",
      "Hot in the final month and also before its last run of hot months, and a cold spot in some earlier month; hot in fewer than 90 % of months.",
    ],
    historical_hot_spot: ["Historical hot spot", "Hot in at least 90 % of months, but not in the final month."],
    new_cold_spot: ["New cold spot", "Cold in the final month and never before (also when it was a hot spot earlier: such a cell is new, not oscillating)."],
    consecutive_cold_spot: [
      "Consecutive cold spot",
      "One unbroken run of cold months ending with the final month, never cold before it (also when it was a hot spot earlier), cold in fewer than 90 % of months.",
    ],
    intensifying_cold_spot: [
      "Intensifying cold spot",
      "Cold in at least 90 % of months including the final one, and getting colder (a significant downward trend).",
    ],
    persistent_cold_spot: ["Persistent cold spot", "Cold in at least 90 % of months including the final one, with no significant trend."],
    diminishing_cold_spot: ["Diminishing cold spot", "Cold in at least 90 % of months including the final one, but warming (a significant upward trend)."],
    sporadic_cold_spot: ["Sporadic cold spot", "Cold in the final month and on and off before, in fewer than 90 % of months, never a hot spot."],
    oscillating_cold_spot: [
      "Oscillating cold spot",
      "Cold in the final month and also before its last run of cold months, and a hot spot in some earlier month; cold in fewer than 90 % of months.",
    ],
    historical_cold_spot: ["Historical cold spot", "Cold in at least 90 % of months, but not in the final month."],
    no_pattern: ["No pattern", "None of the patterns above."],
  },
  monthsShort: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
};

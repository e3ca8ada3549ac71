// English text of the dashboard. Same keys as strings-lt.js (a test checks); pages reach both only
// through strings.js. Functions take numbers already formatted for the language, and months as
// "YYYY-MM" keys (each language words them as its sentences need, see grammar.js).
import {monthPhrase, nounFor} from "./grammar.js";

const month = (m) => monthPhrase("en", m);

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
    dataQuality: "Data quality"
  },
  common: {
    downloadCsv: "CSV",
    downloadSvg: "SVG",
    downloadPng: "PNG",
    downloadCsvTitle: "Download this table as CSV",
    downloadSvgTitle: "Download this chart as SVG",
    downloadPngTitle: "Download this chart as PNG",
    attribution: "Municipality outlines © OpenStreetMap contributors, ODbL",
    generated: (date) => `Data published ${date}.`,
    suppressedFootnote: (k) => `“< ${k}”: fewer than ${k} ${nounFor("en", k, "incident")}, withheld to protect privacy.`,
    sensitiveNote: (names) => `${names} are shown only as municipality totals (Overview), never per cell.`,
    and: "and",
    month: "Month",
    category: "Category",
    municipality: "Municipality",
    count: "Incidents",
    notStated: "not stated",
    noRows: "Nothing to list.",
    none: "–",
    yes: "yes",
    no: "no"
  },
  map: {
    extent: "Map extent",
    extentAll: "Whole study area",
    extentCells: "Cells shown",
    cell: "Cell",
    place: "Place",
    hexagons: "hexagons",
    outlines: "municipality outlines",
    grid: (resolution, area) =>
      `H3 hexagons of resolution ${resolution} (about ${area} km² each) over the municipality outlines; hover over a cell or move to it with Tab for its figures.`
  },
  overview: {
    title: "Overview",
    lead: (area) => `Recorded incidents per month in the study area (${area}), by category and municipality.`,
    rowsRead: "Records read",
    rowsIngested: "Records used",
    rowsQuarantined: "Records set aside (invalid)",
    months: "Months covered",
    allMunicipalities: "All municipalities",
    monthlyTitle: (where) => `Incidents per month by category — ${where}`,
    trendTitle: (category) => `Trend by municipality — ${category}`,
    trendNote:
      "Dots: monthly counts; lines: 12-month moving average of all the incidents (months below the threshold included), in whole numbers. A month below the threshold has no dot.",
    yearlyTitle: "Incidents per year, whole study area",
    suppressedNote: (suppressed, total, k) =>
      suppressed === 0
        ? `No monthly count was below ${k}.`
        : `${suppressed} of ${total} monthly counts (per municipality and category) were below ${k} and are withheld (“< ${k}”); the sums leave them out.`,
    year: "Year",
    total: "Total",
    suppressedCount: "Counts below threshold",
    movingAverage: "12-month average"
  },
  hotspots: {
    title: "Monthly hot spots",
    lead: "Where incidents clustered in a month: H3 cells whose Getis-Ord Gi* statistic is significant, hot (more incidents around the cell than expected) or cold (fewer).",
    fdr: "Control the false discovery rate (FDR)",
    mapTitle: (m, category, fdr) => `${category}, ${month(m)}${fdr ? " (FDR-controlled)" : ""}`,
    mapAriaLabel: "Map of hot and cold spots",
    z: "z-score",
    bin: "Confidence",
    legend: "Gi* confidence bin",
    none: "No cell was significant in this month and category.",
    untested:
      "Too few incidents to test in this month and category: they all lie in one cell, or are so few that no cell could reach 90 % confidence. No hot or cold spots are shown.",
    noData: "No hot-spot analysis in the data (run the analyse stage).",
    summary: (hot, cold) => `Hot cells: ${hot}; cold cells: ${cold}.`,
    tableTitle: "Significant cells this month",
    countNote: (k) =>
      `Incidents: the cell’s count in that month and category; below ${k} it shows as “< ${k}”, and a count that would let a smaller one be worked out by difference is also withheld.`,
    allExcludes: (names) =>
      `“All categories” on this page leaves out ${names}: its hot spots and counts are computed without them, so that nothing per cell depends on them.`,
    withheld: (n, k) =>
      `${n} more significant cell${n === "1" ? " is" : "s are"} not shown: fewer than ${k} incidents in the cell and its neighbours, which the confidence bin would give away.`,
    fdrOff:
      "FDR control is off: each cell is tested on its own. With thousands of cells tested every month, some 90 % and 95 % cells are expected by chance alone. Switch FDR control on to keep only the cells that stay significant when the Benjamini–Hochberg procedure holds the expected share of false discoveries at each confidence level.",
    fdrOn: "FDR control is on: the bins are those left after the Benjamini–Hochberg procedure; cells that were significant only without it are not drawn.",
    method: (k, resolution) =>
      `Gi* over each cell and its ${k}-ring neighbours, H3 resolution ${resolution}; bins as ArcGIS reports them (±3 = 99 %, ±2 = 95 %, ±1 = 90 %). p-values by conditional randomisation: each cell's own count stays, the others are permuted (exact distribution, or 9,999 random permutations in dense months).`
  },
  emerging: {
    title: "Emerging hot spots",
    lead: (months, first, last) =>
      `How each cell’s hot-spot status developed over ${months} months (${month(first)} – ${month(last)}): the patterns of ArcGIS Emerging Hot Spot Analysis, from the monthly Gi* bins and a Mann-Kendall trend test of each cell’s z-scores.`,
    mapTitle: (category, last) => `${category}: patterns up to ${month(last)}`,
    mapAriaLabel: "Map of emerging hot-spot patterns",
    pattern: "Pattern",
    meaning: "Meaning",
    cells: "Cells",
    hotMonths: "Hot months",
    coldMonths: "Cold months",
    trendZ: "Trend z",
    trendP: "Trend p",
    meaningsTitle: "What the patterns mean",
    tableTitle: "Cells with a pattern",
    none: "No cell shows a pattern.",
    noData: "No emerging hot-spot analysis in the data (run the analytics stage).",
    settings: (bin, fdr, alpha) =>
      `A month counts as hot or cold when the cell’s bin is ±${bin} or stronger${fdr ? " after FDR control" : ""}; the trend test uses α = ${alpha}.`
  },
  patrol: {
    title: "Patrol priorities",
    lead: (m, share, from, to) =>
      `Cells ranked for ${month(m)}: the first cells covering ${share} of the study area under each scoring method, from the incidents of ${month(from)} – ${month(to)}.`,
    method: "Scoring method",
    mapTitle: (m, method) => `${month(m)}: ${method}`,
    mapAriaLabel: "Map of patrol-priority cells",
    rank: "Rank",
    score: "Score",
    area: "Area, km²",
    cumulativeShare: "Area covered",
    tableTitle: "Ranked cells",
    noForecast: "No patrol-priority forecast in the data (run the analytics stage).",
    backtestTitle: "How well each method predicted past months",
    measure: "Measure",
    areaShare: "Share of area",
    months: "Months",
    meanTitle: "Mean accuracy by method and share of area",
    monthlyTitle: (share) => `Accuracy month by month at ${share} of the area`,
    backtestNote: (first, last, months, history) =>
      `Rolling-origin backtest: each month from ${month(first)} to ${month(last)} was forecast from the months before it only (at least ${history} months of history); bars are means over ${months} months.`,
    noBacktest: "No backtest in the data (run the analytics stage).",
    chosen: (m, method, margin, runnerUp, gain, months) =>
      `For ${month(m)} the forecast uses ${method}: the method${method.includes(" + ") ? "s" : ""} that predicted the previous ${months} backtest months best at 1 % and 5 % of the area${method.includes(" + ") ? ", scores averaged" : ""} (the best ${margin} ahead of ${runnerUp} and ${gain} above the last-12-months baseline).`,
    chosenBaseline: (margin, runnerUp) =>
      `No method beat the last-12-months baseline by more than its month-to-month noise over the previous backtest months, so the baseline is the selected forecast (the closest method, ${runnerUp}, fell short by ${margin}).`,
    chosenTooShort: "Too little history to choose a method: the last-12-months baseline is the selected forecast.",
    compareTitle: "Each method against the last-12-months baseline",
    compareNote:
      "Over the same months: incidents caught by the top 10 and 20 cells, PAI over the last 12 months, and the mean PAI difference from the last-12-months baseline with its 95 % interval (paired t; consecutive months are not independent, so read it as a guide) and the months won and lost.",
    top10: "Incidents in top 10 cells",
    top20: "Incidents in top 20 cells",
    recentPai: "PAI, last 12 months",
    difference: "PAI − baseline",
    interval: "95 % interval",
    winsLosses: "Months won / lost",
    measures: {
      hit_rate: {label: "Hit rate", description: "Share of the month’s incidents that fell in the selected cells."},
      pai: {
        label: "PAI",
        description: "Predictive accuracy index: the hit rate divided by the share of area selected (1 = no better than chance; higher is better)."
      },
      pei_star: {
        label: "PEI*",
        description: "Predictive efficiency index: the PAI divided by the best PAI any choice of as many cells could have reached (1 = perfect)."
      }
    },
    // Names of the parameterised forecast methods by family (ids such as "ewma(h=12)", see strings.js methodLabel).
    families: {
      window: (p) => `Incidents of the last ${p.w} months`,
      ewma: (p) => (p.h === "∞" ? "Age-weighted history, no decay" : `Age-weighted history (half-life ${p.h} months)`),
      kde: (p) => `Smoothed over neighbouring cells (kernel width ${p.b}, ${p.h === "∞" ? "no decay" : `half-life ${p.h} months`})`,
      "self-exciting": (p) => `Near-repeat model (triggering weight ${p.theta}, background half-life ${p.h} months)`,
      "seasonal-kde": (p) => `Smoothed, with the same season in earlier years (season weight ${p.gamma})`,
      ensemble: () => "Mean of four methods (ensemble)",
      stacked: (p, partner) => `Last 12 months with ${partner ?? "?"} (weight ${p.w})`
    },
    methods: {
      selected: {
        label: "Selected by backtest",
        description:
          "Each month, the method that forecast the earlier months best in the backtest (the last-12-months baseline unless another method beat it at 1 % and 5 % of the area)."
      },
      "ewma-ring": {
        label: "Recent counts with neighbours (EWMA)",
        description: "Counts of the last 12 months, weighted down exponentially with age (half-life 3 months), plus half the neighbours’ weighted counts."
      },
      "gi-star-mean": {
        label: "Mean Gi* z-score",
        description: "The mean monthly Gi* z-score of the last 12 months: how consistently the cell sat in a hot spot."
      },
      "last-month": {label: "Last month’s count (baseline)", description: "The cell’s incidents in the previous month."},
      "last-12-months": {label: "Last 12 months’ count (baseline)", description: "The cell’s incidents in the previous 12 months."}
    }
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
    dataLanguage: () => "Project and indicator names are quoted as the source documents give them.",
    indicatorsSummary: (n) => `Indicators (${n}): figures, targets and baselines`,
    evaluationDetails: "Details: reading, yearly history, context and caveats",
    baselinePeriod: "Baseline period",
    achievedQualifier: "Achieved: how stated",
    qualifiers: {exact: "exact", approximate: "about", more_than: "over"},
    changeFromBaseline: "Change from baseline",
    percentChangeFromBaseline: "Change from baseline, %",
    desiredDirection: "Desired direction",
    indicatorsTitle: "Indicators",
    indicator: "Indicator",
    kind: "Kind",
    kinds: {process: "Process", outcome: "Outcome"},
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
      checkpoints: (pct) => `No total stated; the checkpoints add up to ≈ ${pct} of the target`,
      noResult: "Target set; no result stated",
      // Worded to start with a letter: a status cell starting with "+" would be guarded as a formula in CSV.
      change: (change, pct) => `Change from the baseline: ${change} (${pct})`,
      achievedOnly: "Achieved; no target stated",
      nothing: "No figure stated"
    },
    qualified: {approximate: (v) => `about ${v}`, more_than: (v) => `over ${v}`},
    verdict: {
      title: "Verdict",
      targetedTitle: "What was targeted",
      reachedTitle: "What was reached",
      outcomeTitle: "What the incident data can and cannot show",
      can: "What the figures show",
      cannot: "What they cannot show",
      noTargets: "The project's documents state no numeric target.",
      target: (name, target, period) => `${name}: ${target}${period ? ` (${period})` : ""}.`,
      reached: (name, value, target, pct, status) => `${name}: ${value} of ${target} (${pct}) — ${status.toLowerCase()}.`,
      checkpoints: (name, value, target, pct) => `${name}: no total is stated; the checkpoints add up to ${value} of ${target} (≈ ${pct}).`,
      noResult: (name) => `${name}: no result is stated.`,
      others: (n, withBaseline, desired) => {
        const moved =
          withBaseline === 0
            ? ""
            : desired === withBaseline
              ? `; ${withBaseline === 1 ? "the one" : `all ${withBaseline}`} with a baseline moved in the desired direction`
              : `; ${desired} of the ${withBaseline} with a baseline moved in the desired direction`;
        return `${n === 1 ? "One result is" : `${n} results are`} stated without a target${moved} (see the indicators below).`;
      },
      noFigure: (n) => `${n === 1 ? "One indicator states" : `${n} indicators state`} no figure at all.`,
      measured: (what, area, before, beforeLabel, after, afterLabel, way) =>
        `${what} in ${area}: ${before} (${beforeLabel}) → ${after} (${afterLabel}), ${way}.`,
      desired: (direction) => `in the desired direction (${direction})`,
      against: (direction) => `against the desired direction (${direction})`,
      noChange: "no change",
      significant: (p) => `The change is larger than chance alone would explain (exact test p = ${p}).`,
      tooSmall: "Counts this small cannot tell a change of this size from chance: absence of evidence, not evidence of no effect.",
      chance: "Chance alone could explain the change.",
      noControl: "What would have happened without the project: there is no comparison area.",
      controlLimits: "What would have happened without the project, other than approximately: see the note on the comparison area.",
      registered: "How much offending itself changed: registered cases also count reporting and police activity.",
      design: (level, atBest, meaning) =>
        `How strong the design is: Maryland Scientific Methods Scale level ${level}${atBest ? " at best" : ""} of 5 (${meaning}).`,
      detectable: (power, rise, fall) =>
        `What these counts could have detected with ${power} power: ${rise ? `a rise of at least ${rise}` : "no rise"}${fall ? ` or a fall of at least ${fall}` : "; no fall could have been detected"}.`,
      placeboSpace: (rank, n, p, minP) =>
        `Against the same comparison in the data's other localities (placebos), this change ranks ${rank} of ${n} by size (p = ${p}; with ${n} localities p cannot go below ${minP}).`,
      noEvaluation: "The incident data do not cover this project's area, so they can show nothing about its outcome; the figures are the project's own.",
      evaluationError: (title) => `${title}: the evaluation could not be run (the reason is below).`
    },
    noProjects: "No project in the data (run the context stage).",
    noEvaluation: "The incident data do not cover this project’s area, so only its indicators are shown.",
    evaluationTitle: (title) => `Before and after: ${title}`,
    evaluationError: (message) => `This evaluation could not be run: ${message}`,
    areas: (area, control) => (control ? `Area: ${area}. Comparison area: ${control}.` : `Area: ${area}. No comparison area.`),
    periods: (before, after) => `Before: ${before}. After: ${after}.`,
    caseType: "Case type",
    before: "Before",
    after: "After",
    change: "Change",
    rateRatio: "Rate ratio",
    interval: (level) => `${level} CI`,
    intervalLow: (level) => `${level} CI, lower`,
    intervalHigh: (level) => `${level} CI, upper`,
    exactP: "p (exact test)",
    eTestP: "p (E-test)",
    comparison: "Comparison area",
    beforeAfterTitle: (level) => `Counts before and after, with ${level} confidence intervals`,
    beforeAfterNote: "Exact Poisson intervals of each count; the before count is scaled to the after period’s length.",
    rateRatioTitle: (level) => `Rate ratio after / before, with its ${level} confidence interval`,
    rateRatioNote: "1 = no change. When the interval contains 1, chance alone could explain the change.",
    readingTitle: "Reading",
    reading: {
      counts: (what, before, after, change, pct) => `${what}: ${before} → ${after} (${change}, ${pct})`,
      desired: (direction) => `in the desired direction (${direction})`,
      against: (direction) => `against the desired direction (${direction})`,
      noChange: "no change",
      significant: (p) => `The change is statistically significant (exact test p = ${p}).`,
      tooSmall: (p) => `Counts this small cannot show a significant change (p = ${p}): absence of evidence, not evidence of no effect.`,
      notSignificant: (p) => `Not statistically significant (p = ${p}); chance can explain the change.`,
      wdd: (wdd, low, high, p) => `Against the comparison area, the weighted displacement difference is ${wdd} (${low} to ${high}, p = ${p}).`,
      exposure: (before, after, per, what, p) => `Cases a year per ${per} ${what}: ${before} → ${after} (p = ${p}).`
    },
    directions: {increase: "increase", decrease: "decrease"},
    // The Maryland Scientific Methods Scale (Sherman et al. 1997; Farrington et al. 2002), by level.
    smsLevels: {
      1: "a correlation at one point in time, with no comparison over time",
      2: "before and after in the project area, with no comparable control",
      3: "before and after in the project area and in a comparable control area",
      4: "before and after in several project and control areas, other factors controlled",
      5: "areas randomly assigned to the project and to control"
    },
    crossCheckTitle: "The lake’s counts against the project’s own figures",
    crossCheck: (what, seedBefore, seedAfter, lakeBefore, lakeAfter, agrees) =>
      `${what}: project ${seedBefore} → ${seedAfter}, lake ${lakeBefore} → ${lakeAfter} — ${agrees ? "they agree" : "they differ"}.`,
    historyTitle: "Incidents per year in the area and the comparison area",
    historyNote: "Shaded: the before and after periods.",
    area: "Area",
    contextTitle: (what, where) => `Context: ${what} per year, ${where}`,
    contextSource: (source) => `Source: ${source}.`,
    exposures: {immigrants_registered: "immigrants registered"},
    exposuresPer: {immigrants_registered: "immigrants registered"},
    designTitle: "Design, power and placebo tests",
    designWhy: "Why this level, and what would raise it (as the evaluation module words it):",
    its: (category, month, ratio, low, high, p) =>
      `${category}: the interrupted time series puts the change in level in ${monthPhrase("en", month)} at ×${ratio} (${low} – ${high}, p = ${p}).`,
    itsRefused: (category) => `${category}: no time series model could be fitted (the evaluation module's reason is below).`,
    placeboTime: (n, share) =>
      `${n === 1 ? "one false intervention month" : `${n} false intervention months`} (in-time placebos): ${share} of them show a step at least as large.`,
    monthsNeeded: (change, months) =>
      `to detect a moderate change (${change}), each of two equal periods would need ${months === null ? "more than 50 years" : `${months} months`}.`,
    caveatsTitle: "Caveats",
    caveatsLanguage: ""
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
    bounds: "Bounding box (to 0.01°)",
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
      missing_value: "Required value missing",
      unknown_case_type: "Unknown case type",
      unmapped_offence: "Offence not mapped to a category",
      formula_text: "Spreadsheet formula in a field",
      exact_duplicate: "Exact duplicate row",
      repeated_id: "Repeated id with different content"
    },
    warnings: {ambiguous_local_time: "Ambiguous local time (autumn DST overlap; the first occurrence taken)"},
    precisions: {second: "second", minute: "minute", hour: "hour", day: "day", month: "month"}
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
  caseTypes: {all: "all case types", pre_trial_investigation: "pre-trial investigations", administrative_offence: "administrative offences"},
  // Labels of the canonical offence categories (etl/ingest/incident-schema.ts); others show as they are.
  categories: {
    all: "All categories",
    theft: "Theft",
    burglary: "Burglary",
    robbery: "Robbery",
    assault: "Assault",
    domestic_violence: "Domestic violence",
    sexual_offence: "Sexual offences",
    drug_possession: "Drug possession",
    public_order: "Public order",
    vehicle_crime: "Vehicle crime",
    fraud: "Fraud",
    criminal_damage: "Criminal damage",
    other: "Other"
  },
  patterns: {
    new_hot_spot: ["New hot spot", "Hot in the final month and never before."],
    consecutive_hot_spot: [
      "Consecutive hot spot",
      "One unbroken run of hot months ending with the final month, never hot before it, hot in fewer than 90 % of months."
    ],
    intensifying_hot_spot: [
      "Intensifying hot spot",
      "Hot in at least 90 % of months including the final one, and getting hotter (a significant upward trend)."
    ],
    persistent_hot_spot: ["Persistent hot spot", "Hot in at least 90 % of months including the final one, with no significant trend."],
    diminishing_hot_spot: ["Diminishing hot spot", "Hot in at least 90 % of months including the final one, but cooling (a significant downward trend)."],
    sporadic_hot_spot: ["Sporadic hot spot", "Hot in the final month and on and off before, in fewer than 90 % of months, never a cold spot."],
    oscillating_hot_spot: ["Oscillating hot spot", "Hot in the final month, but a cold spot in some earlier month; hot in fewer than 90 % of months."],
    historical_hot_spot: ["Historical hot spot", "Hot in at least 90 % of months, but not in the final month."],
    new_cold_spot: ["New cold spot", "Cold in the final month and never before."],
    consecutive_cold_spot: [
      "Consecutive cold spot",
      "One unbroken run of cold months ending with the final month, never cold before it, cold in fewer than 90 % of months."
    ],
    intensifying_cold_spot: [
      "Intensifying cold spot",
      "Cold in at least 90 % of months including the final one, and getting colder (a significant downward trend)."
    ],
    persistent_cold_spot: ["Persistent cold spot", "Cold in at least 90 % of months including the final one, with no significant trend."],
    diminishing_cold_spot: ["Diminishing cold spot", "Cold in at least 90 % of months including the final one, but warming (a significant upward trend)."],
    sporadic_cold_spot: ["Sporadic cold spot", "Cold in the final month and on and off before, in fewer than 90 % of months, never a hot spot."],
    oscillating_cold_spot: ["Oscillating cold spot", "Cold in the final month, but a hot spot in some earlier month; cold in fewer than 90 % of months."],
    historical_cold_spot: ["Historical cold spot", "Cold in at least 90 % of months, but not in the final month."],
    no_pattern: ["No pattern", "None of the patterns above."]
  },
  monthsShort: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
};

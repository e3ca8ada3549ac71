/**
 * The strength of an evaluation's design on the Maryland Scientific Methods Scale (SMS)
 * [@sherman1997; @farrington2002], from the facts of the design alone — never from its results, so a
 * significant change cannot raise the rating and a null one cannot lower it.
 */

/** What an evaluation's design is made of. */
export interface DesignFacts {
  /** A count of the evaluation area before the intervention (false: one measurement after only). */
  hasBefore: boolean;
  /** A comparison (control) area measured over the same periods. */
  hasComparison: boolean;
  /**
   * Whether the project also reached the comparison area: true (contaminated comparison), false
   * (untreated), null (not stated — then its comparability is unknown, not assumed).
   */
  comparisonReached: boolean | null;
  /** Treated and comparison units (areas) analysed separately; a single area is 1. */
  treatedUnits: number;
  comparisonUnits: number;
  /** Other variables that influence crime controlled for (covariates, matching, synthetic control weights). */
  controlsOtherVariables: boolean;
  /** Areas assigned to the intervention at random. */
  randomised: boolean;
  /** Months of pre-intervention monthly history the analysis models (0: periods compared as totals). */
  preMonths: number;
}

export type SmsLevel = 1 | 2 | 3 | 4 | 5;

/** A Maryland SMS level with why, what limits it and what data would raise it (in English, and in Lithuanian under *_lt). */
export interface DesignRating {
  level: SmsLevel;
  /** True when the level is an upper bound: the comparison is weaker than the level assumes. */
  at_best: boolean;
  /** "Maryland SMS level 3 at best: …" (at best: the comparison area's comparability is not shown). */
  label: string;
  reason: string;
  /** Data or design changes that would raise the level (or strengthen it within its level), most useful first. */
  to_raise: string[];
  label_lt: string;
  reason_lt: string;
  /** to_raise in Lithuanian, index by index. */
  to_raise_lt: string[];
}

/** A text in both languages. */
interface Both {
  en: string;
  lt: string;
}

/** The scale's own wording of each level [@farrington2002]. */
export const SMS_LEVELS: Readonly<Record<SmsLevel, string>> = {
  1: "correlation between a prevention programme and a measure of crime at one point in time",
  2: "measures of crime before and after the programme, with no comparable control condition",
  3: "measures of crime before and after the programme in experimental and comparable control conditions",
  4: "measures of crime before and after in multiple experimental and control units, controlling for other variables that influence crime",
  5: "random assignment of units to the programme and control conditions",
};

/** The levels in Lithuanian, as an evaluator would put them. */
export const SMS_LEVELS_LT: Readonly<Record<SmsLevel, string>> = {
  1: "prevencijos programos ir nusikalstamumo rodiklio sąsaja vienu metu",
  2: "nusikalstamumas matuojamas prieš programą ir po jos, be panašios kontrolinės grupės",
  3: "nusikalstamumas matuojamas prieš programą ir po jos – ir paveiktoje, ir panašioje kontrolinėje grupėje",
  4: "nusikalstamumas matuojamas prieš ir po keliuose paveiktuose ir kontroliniuose vienetuose, atsižvelgiant į kitus jį lemiančius veiksnius",
  5: "vienetai programai ir kontrolinei grupei priskiriami atsitiktinai",
};

// An interrupted time series needs enough pre-intervention months to separate a trend from twelve
// seasonal effects: two full years is the usual minimum [@bernal2017].
export const ITS_MIN_PRE_MONTHS = 24;

/**
 * Rates a design on the Maryland SMS. Level 5 needs random assignment; level 4 several treated and
 * comparison units with other influences on crime controlled; level 3 a before/after comparison
 * with a comparable control; level 2 a before/after comparison without one; level 1 no before
 * measure. A comparison area the project also reached is not an untreated control: the design is
 * then level 2, a before/after comparison beside a contaminated series (the difference in differences
 * understates any effect that reached both areas), and an untreated comparison is the first thing
 * that would raise it. An untreated or unstated comparison is "level 3 at best": nothing here checks
 * that its counts and trend before resembled the evaluation area's. An
 * interrupted time series over ≥ 24 pre-intervention months does not change the level (it has no
 * control condition) but removes the pre-trend, seasonality and regression-to-the-mean objections
 * of a two-period comparison, so it is named among what would strengthen a level-2 or -3 design.
 */
export function rateDesign(facts: DesignFacts): DesignRating {
  for (const [name, value] of [
    ["treatedUnits", facts.treatedUnits],
    ["comparisonUnits", facts.comparisonUnits],
    ["preMonths", facts.preMonths],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
  const its = facts.preMonths >= ITS_MIN_PRE_MONTHS;
  const itsStep: Both[] = its
    ? []
    : [
        {
          en: `an interrupted time series over at least ${ITS_MIN_PRE_MONTHS} months before the intervention (monthly counts, with trend and seasonality), which rules out a pre-existing trend and regression to the mean`,
          lt: `pertraukiamų laiko eilučių analizė, apimanti ne mažiau kaip ${ITS_MIN_PRE_MONTHS} mėn. iki intervencijos (mėnesio skaičiai su tendencija ir sezoniškumu). Ji atmeta jau buvusią tendenciją ir regresiją į vidurkį`,
        },
      ];
  const randomStep: Both = {
    en: "random assignment of areas (or times) to the intervention, with the rest as controls (level 5)",
    lt: "teritorijos (ar laikotarpiai) intervencijai parenkami atsitiktinai, o likusios lieka kontrolinės (5 lygis)",
  };
  const multiStep: Both = {
    en: "several treated and several untreated areas, or a comparison series weighted from many untreated localities, with other influences on crime controlled (level 4)",
    lt: "kelios paveiktos ir kelios nepaveiktos teritorijos arba palyginimo eilutė, sudaryta iš daugelio nepaveiktų vietovių, atsižvelgiant į kitus nusikalstamumą lemiančius veiksnius (4 lygis)",
  };
  const untreatedComparison: Both = {
    en: "the same counts in a comparable area the project did not reach (level 3)",
    lt: "tie patys skaičiai panašioje teritorijoje, kurios projektas nepasiekė (3 lygis)",
  };

  if (!facts.hasBefore) {
    return rating(
      1,
      false,
      {
        en: "only the period after the intervention is measured, so nothing shows a change",
        lt: "matuojamas tik laikotarpis po intervencijos, todėl pokyčio niekas neparodo",
      },
      [
        { en: "counts of the same area before the intervention (level 2)", lt: "tos pačios teritorijos skaičiai iki intervencijos (2 lygis)" },
        untreatedComparison,
      ],
    );
  }
  if (facts.randomised) {
    return rating(
      5,
      false,
      {
        en: "areas were assigned to the intervention at random, so treated and control areas differ only by chance",
        lt: "teritorijos intervencijai parinktos atsitiktinai, todėl paveiktos ir kontrolinės teritorijos skiriasi tik atsitiktinai",
      },
      [],
    );
  }
  if (!facts.hasComparison) {
    return rating(
      2,
      false,
      {
        en: "a before/after comparison of the evaluation area alone: the change cannot be separated from the general trend, recording practice or chance",
        lt: "lyginama tik pati vertinama teritorija prieš ir po. Pokyčio neįmanoma atskirti nuo bendros tendencijos, registravimo praktikos ar atsitiktinumo",
      },
      [untreatedComparison, ...itsStep, multiStep],
    );
  }
  // Level 3 needs a comparable untreated control [@farrington2002]: a comparison area the project also
  // reached is a second treated area, so the design is a before/after one beside a contaminated series.
  if (facts.comparisonReached === true) {
    return rating(
      2,
      false,
      {
        en: "a before/after comparison, beside a comparison area that the project also reached: that area is not an untreated control (level 3 needs one), so the difference in differences understates any effect that reached both areas",
        lt: "lyginama prieš ir po, o palyginimo teritoriją projektas irgi pasiekė. Ji nėra nepaveikta kontrolė (3 lygiui jos reikia), todėl skirtumų skirtumas sumenkina poveikį, pasiekusį abi teritorijas",
      },
      [
        {
          en: "a comparison area the project did not reach, with similar counts and trend before the intervention (level 3)",
          lt: "palyginimo teritorija, kurios projektas nepasiekė, su panašiais skaičiais ir tendencija iki intervencijos (3 lygis)",
        },
        ...itsStep,
        multiStep,
      ],
    );
  }
  const unknown: Both =
    facts.comparisonReached === null
      ? {
          en: " (whether the project reached it is not stated, so its comparability is assumed, not shown)",
          lt: " (nenurodyta, ar projektas ją pasiekė, todėl jos panašumas tik numanomas, o ne parodytas)",
        }
      : {
          // Nothing here tests that the comparison area's counts and trend before resembled the evaluation area's.
          en: " (its comparability — similar counts and trend before the intervention — is not checked, so it is assumed, not shown)",
          lt: " (jos panašumas – panašūs skaičiai ir tendencija iki intervencijos – netikrintas, todėl tik numanomas, o ne parodytas)",
        };
  if (facts.treatedUnits > 1 && facts.comparisonUnits > 1 && facts.controlsOtherVariables) {
    return rating(
      4,
      false,
      {
        en: `before/after measures in ${facts.treatedUnits} treated and ${facts.comparisonUnits} comparison units, controlling for other influences on crime${unknown.en}`,
        lt: `matuojama prieš ir po (paveiktų vienetų – ${facts.treatedUnits}, palyginimo – ${facts.comparisonUnits}), atsižvelgiant į kitus nusikalstamumą lemiančius veiksnius${unknown.lt}`,
      },
      [randomStep],
    );
  }
  return rating(
    3,
    true,
    {
      en: `a before/after comparison with an untreated comparison area${unknown.en}`,
      lt: `lyginama prieš ir po su nepaveikta palyginimo teritorija${unknown.lt}`,
    },
    [...itsStep, multiStep, randomStep],
  );
}

function rating(level: SmsLevel, atBest: boolean, reason: Both, toRaise: Both[]): DesignRating {
  return {
    level,
    at_best: atBest,
    label: `Maryland SMS level ${level}${atBest ? " at best" : ""}: ${SMS_LEVELS[level]}`,
    reason: reason.en,
    to_raise: toRaise.map((t) => t.en),
    label_lt: `Merilendo mokslinių metodų skalė, ${atBest ? `ne aukščiau kaip ${level}` : level} lygis: ${SMS_LEVELS_LT[level]}`,
    reason_lt: reason.lt,
    to_raise_lt: toRaise.map((t) => t.lt),
  };
}

import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import type { BeforeAfter } from "./weighted-displacement-difference.ts";

/** An estimate with its delta-method standard error and normal interval; bounds null when unbounded. */
export interface DeltaInterval {
  estimate: number;
  se: number;
  ci_low: number | null;
  ci_high: number | null;
}

/** Intervals of the total net effect and the WDQ. */
export interface DisplacementUncertainty {
  tne: DeltaInterval;
  /** Null when the WDQ is undefined (a control count of 0, or no relative change in the treated area). */
  wdq: DeltaInterval | null;
}

/**
 * Delta-method intervals for the total net effect and the weighted displacement quotient
 * [@bowers2003] — neither has a published test — treating the six counts (treated R, buffer D,
 * control C; b before, a after) as independent Poisson, Var(x) ≈ x, so that for f = TNE or WDQ
 * Var(f) ≈ Σ (∂f/∂x)² · x [@oehlert1992]:
 *
 *     TNE = (Rb + Db)·Ca/Cb − (Ra + Da)
 *     WDQ = B / S,  B = Da/Ca − Db/Cb,  S = Ra/Ca − Rb/Cb,  ∂WDQ/∂x = (∂B/∂x − WDQ·∂S/∂x) / S
 *
 * The WDQ is a ratio: when the success measure S is within z·SE(S) of 0 its interval is unbounded
 * (both bounds null), as Fieller's interval for a ratio is. Small counts make both intervals rough.
 */
export function displacementUncertainty(treated: BeforeAfter, buffer: BeforeAfter, control: BeforeAfter, confidenceLevel = 0.95): DisplacementUncertainty {
  const { before: rb, after: ra } = treated;
  const { before: db, after: da } = buffer;
  const { before: cb, after: ca } = control;
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2, 0, 1);
  if (cb === 0 || ca === 0) return { tne: { estimate: Number.NaN, se: Number.NaN, ci_low: null, ci_high: null }, wdq: null };
  const trend = ca / cb;
  const tneEstimate = (rb + db) * trend - (ra + da);
  // Gradient of TNE over (Rb, Ra, Db, Da, Cb, Ca).
  const tneGradient = [trend, -1, trend, -1, (-(rb + db) * ca) / cb ** 2, (rb + db) / cb];
  const counts = [rb, ra, db, da, cb, ca];
  const variance = (gradient: readonly number[]) => gradient.reduce((s, g, i) => s + g * g * counts[i]!, 0);
  const tneSe = Math.sqrt(variance(tneGradient));
  const tne = { estimate: tneEstimate, se: tneSe, ci_low: tneEstimate - z * tneSe, ci_high: tneEstimate + z * tneSe };

  const s = ra / ca - rb / cb;
  const b = da / ca - db / cb;
  if (s === 0) return { tne, wdq: null };
  const wdq = b / s;
  const dS = [-1 / cb, 1 / ca, 0, 0, rb / cb ** 2, -ra / ca ** 2];
  const dB = [0, 0, -1 / cb, 1 / ca, db / cb ** 2, -da / ca ** 2];
  const wdqSe = Math.sqrt(variance(dB.map((g, i) => (g - wdq * dS[i]!) / s)));
  const bounded = Math.abs(s) > z * Math.sqrt(variance(dS));
  return { tne, wdq: { estimate: wdq, se: wdqSe, ci_low: bounded ? wdq - z * wdqSe : null, ci_high: bounded ? wdq + z * wdqSe : null } };
}

/** What the WDD and the WDQ/TNE say together. */
export interface DisplacementReading {
  agree: boolean;
  text: string;
  /** The same reading in Lithuanian. */
  text_lt: string;
}

/**
 * One reading of the WDD and the TNE/WDQ [@wheeler2018; @bowers2003]. The WDD is a difference in
 * differences of counts: it weighs the control's absolute change one-for-one, which is right only
 * when the control has counts like the evaluation area's. The TNE scales the control's trend
 * (Ca/Cb) to each area's own count. So when the control is much larger, the two can point opposite
 * ways — a control that grew by 10 % adds ten times more cases to the WDD than a treated area of a
 * tenth its size — and the TNE, with its interval, is the reading to keep; when they agree, both say
 * so, and when neither interval excludes no effect, neither shows a change distinguishable from chance.
 */
export function reconcileDisplacement(input: {
  treated: BeforeAfter;
  control: BeforeAfter;
  wdd: { estimate: number; ci_low: number; ci_high: number };
  tne: DeltaInterval;
}): DisplacementReading {
  const { wdd, tne } = input;
  const size =
    input.treated.before + input.treated.after > 0
      ? (input.control.before + input.control.after) / (input.treated.before + input.treated.after)
      : Number.POSITIVE_INFINITY;
  // WDD < 0 is fewer cases than the control's trend; TNE > 0 is cases prevented: the same direction.
  const wddWay = Math.sign(-wdd.estimate);
  const tneWay = Math.sign(tne.estimate);
  const wddClear = wdd.ci_low > 0 || wdd.ci_high < 0;
  const tneClear = tne.ci_low !== null && tne.ci_high !== null && (tne.ci_low > 0 || tne.ci_high < 0);
  const ratio = Number.isFinite(size) ? `${size.toFixed(1)} times` : "far";
  // A decimal number takes the genitive singular in Lithuanian ("2,5 karto"), so one form fits every ratio.
  const ratioLt = Number.isFinite(size)
    ? `yra ${size.toLocaleString("lt-LT", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} karto tiek, kiek vertinamoje`
    : "yra nepalyginamai daugiau nei vertinamoje";
  if (!wddClear && !tneClear)
    return {
      agree: wddWay === tneWay,
      text: "Neither the WDD nor the total net effect excludes no change at the chosen level: there is no evidence either of an effect or of displacement.",
      text_lt: "Nei WDD, nei bendrasis grynasis poveikis pasirinktu lygmeniu neatmeta, kad pokyčio nebuvo. Įrodymų nėra nei poveikiui, nei perkėlimui.",
    };
  if (wddWay === tneWay)
    return {
      agree: true,
      text: `The WDD and the total net effect agree: ${tneWay > 0 ? "fewer" : "more"} cases than the control's trend predicts${wddClear && tneClear ? ", and both intervals exclude no change" : ", though only one of their intervals excludes no change"}.`,
      text_lt: `WDD ir bendrasis grynasis poveikis sutaria: atvejų ${tneWay > 0 ? "mažiau" : "daugiau"}, nei numato kontrolinės teritorijos tendencija${wddClear && tneClear ? ", ir abu intervalai atmeta, kad pokyčio nebuvo" : ", nors tik vienas iš intervalų atmeta, kad pokyčio nebuvo"}.`,
    };
  return {
    agree: false,
    text:
      `The WDD and the total net effect point opposite ways. The comparison area has ${ratio} the evaluation area's cases: the WDD subtracts its absolute change one-for-one, while the TNE scales its relative change (Ca/Cb) to the evaluation and buffer areas' own counts. ` +
      `With areas of such different size the TNE and its interval are the reading to keep; a comparison area with counts like the evaluation area's would make the WDD meaningful.`,
    text_lt:
      `WDD ir bendrasis grynasis poveikis rodo priešingas kryptis. Palyginimo teritorijoje atvejų ${ratioLt}. WDD atima jos absoliutų pokytį vienas prie vieno, o TNE jos santykinį pokytį (Ca/Cb) pritaiko vertinamos ir buferinės teritorijų atvejų skaičiams. ` +
      `Kai teritorijos tokios skirtingo dydžio, remkitės TNE ir jo intervalu. WDD būtų prasmingas, jei palyginimo teritorijoje atvejų būtų panašiai kaip vertinamoje.`,
  };
}

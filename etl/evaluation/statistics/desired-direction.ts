/** Which way an indicator should move if the project worked. */
export type DesiredDirection = "increase" | "decrease";

/** A desired direction and why it is the desired one. */
export interface DirectionChoice {
  direction: DesiredDirection;
  reason: string;
}

/**
 * Offence categories whose registered counts measure police and community detection more than
 * offending: nobody reports possessing drugs, so a case exists only when the police find it, often
 * on a tip. A prevention project that builds trust and brings in information should raise them —
 * the "We Are" entry reports Kuršėnai's 2+1 → 5+3 drug-possession cases as a success for that reason.
 */
export const DETECTION_DRIVEN_CATEGORIES: ReadonlySet<string> = new Set(["drug_possession"]);

/**
 * The desired direction of an offence category's count: "increase" for detection-driven categories
 * (more cases registered on information from the population), "decrease" for the others (fewer
 * offences). An explicit choice — from the command line or from a project's indicator — wins.
 */
export function desiredDirection(category: string, override?: DesiredDirection): DirectionChoice {
  if (override) return { direction: override, reason: "set explicitly for this evaluation" };
  if (DETECTION_DRIVEN_CATEGORIES.has(category)) {
    return {
      direction: "increase",
      reason: "detection-driven offence: registered cases grow when the population gives the police more information, which is the intended outcome",
    };
  }
  return { direction: "decrease", reason: "fewer registered offences is the aim of prevention" };
}

/**
 * Whether an observed change went the desired way: true or false, or null when there was no change.
 * It says nothing about chance; see the rate tests for that.
 */
export function directionMet(change: number, direction: DesiredDirection): boolean | null {
  if (change === 0 || Number.isNaN(change)) return null;
  return direction === "increase" ? change > 0 : change < 0;
}

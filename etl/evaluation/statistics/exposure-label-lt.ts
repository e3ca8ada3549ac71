import { lt as dashboardLt } from "../../../dashboard/src/components/strings-lt.js";

/** The Lithuanian name of an exposure indicator (the dashboard's dictionary), else its code in words. */
export const ltExposure = (indicator: string) =>
  (dashboardLt.evaluation.exposures as Record<string, string | undefined>)[indicator] ?? indicator.replaceAll("_", " ");

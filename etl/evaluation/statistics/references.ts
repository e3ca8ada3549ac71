/**
 * The works the evaluation's statistics follow, by the citation keys used in the doc comments, as a
 * report lists them under "Methods and references".
 */
export const REFERENCES: Readonly<Record<string, string>> = {
  bowers2003:
    "Bowers, K. J. & Johnson, S. D. (2003). Measuring the geographical displacement and diffusion of benefit effects of crime prevention activity. Journal of Quantitative Criminology, 19(3), 275–301.",
  abadie2010:
    "Abadie, A., Diamond, A. & Hainmueller, J. (2010). Synthetic control methods for comparative case studies. Journal of the American Statistical Association, 105(490), 493–505.",
  abadie2021:
    "Abadie, A. (2021). Using synthetic controls: Feasibility, data requirements, and methodological aspects. Journal of Economic Literature, 59(2), 391–425.",
  bernal2018:
    "Bernal, J. L., Cummins, S. & Gasparrini, A. (2018). The use of controls in interrupted time series studies of public health interventions. International Journal of Epidemiology, 47(6), 2082–2093.",
  bernal2017:
    "Bernal, J. L., Cummins, S. & Gasparrini, A. (2017). Interrupted time series regression for the evaluation of public health interventions: a tutorial. International Journal of Epidemiology, 46(1), 348–355.",
  clopper1934:
    "Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits illustrated in the case of the binomial. Biometrika, 26(4), 404–413.",
  cohen1988: "Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.). Hillsdale, NJ: Lawrence Erlbaum.",
  fay2010: "Fay, M. P. (2010). Two-sided exact tests and matching confidence intervals for discrete data. The R Journal, 2(1), 53–58.",
  farrington2002:
    "Farrington, D. P., Gottfredson, D. C., Sherman, L. W. & Welsh, B. C. (2002). The Maryland Scientific Methods Scale. In L. W. Sherman et al. (Eds.), Evidence-Based Crime Prevention (pp. 13–21). London: Routledge.",
  guerette2009:
    "Guerette, R. T. (2009). Analyzing crime displacement and diffusion. Problem-Oriented Guides for Police, Problem-Solving Tools Series No. 10. Washington, DC: U.S. Department of Justice, COPS Office.",
  krishnamoorthy2004:
    "Krishnamoorthy, K. & Thomson, J. (2004). A more powerful test for comparing two Poisson means. Journal of Statistical Planning and Inference, 119(1), 23–35.",
  mccullagh1989: "McCullagh, P. & Nelder, J. A. (1989). Generalized Linear Models (2nd ed.). London: Chapman & Hall.",
  oehlert1992: "Oehlert, G. W. (1992). A note on the delta method. The American Statistician, 46(1), 27–29.",
  peduzzi1996:
    "Peduzzi, P., Concato, J., Kemper, E., Holford, T. R. & Feinstein, A. R. (1996). A simulation study of the number of events per variable in logistic regression analysis. Journal of Clinical Epidemiology, 49(12), 1373–1379.",
  przyborowski1940: "Przyborowski, J. & Wileński, H. (1940). Homogeneity of results in testing samples from Poisson series. Biometrika, 31(3/4), 313–323.",
  "r-binom-test": "R Core Team. binom.test, package stats (R 4.2.2): exact binomial test.",
  "r-poisson-test": "R Core Team. poisson.test, package stats (R 4.2.2): exact Poisson test, comparison of two rates.",
  "scipy-poisson-means-test": "SciPy 1.17: scipy.stats.poisson_means_test, the E-test of Krishnamoorthy & Thomson (2004).",
  sherman1997:
    "Sherman, L. W., Gottfredson, D., MacKenzie, D., Eck, J., Reuter, P. & Bushway, S. (1997). Preventing Crime: What Works, What Doesn't, What's Promising. Washington, DC: U.S. Department of Justice, Office of Justice Programs.",
  venables2002: "Venables, W. N. & Ripley, B. D. (2002). Modern Applied Statistics with S (4th ed.). New York: Springer. (R package MASS, glm.nb.)",
  vittinghoff2007:
    "Vittinghoff, E. & McCulloch, C. E. (2007). Relaxing the rule of ten events per variable in logistic and Cox regression. American Journal of Epidemiology, 165(6), 710–718.",
  wagner2002:
    "Wagner, A. K., Soumerai, S. B., Zhang, F. & Ross-Degnan, D. (2002). Segmented regression analysis of interrupted time series studies in medication use research. Journal of Clinical Pharmacy and Therapeutics, 27(4), 299–309.",
  wheeler2018:
    "Wheeler, A. P. & Ratcliffe, J. H. (2018). A simple weighted displacement difference test to evaluate place based crime interventions. Crime Science, 7, 11. https://doi.org/10.1186/s40163-018-0085-5",
  "wheeler-ptools":
    "Wheeler, A. P. ptools: Tools for Poisson Data (R package), function powalt: power of an exact test as the alternative's probability of the rejected outcomes.",
  "wheeler2021-time":
    "Wheeler, A. P. (2021). The WDD test with different pre/post time periods. https://andrewpwheeler.com/2021/01/09/the-wdd-test-with-different-pre-post-time-periods/",
};

/** The methods paragraph of a report: which test answers which question, with citation keys. */
export const METHOD_NOTES: readonly string[] = [
  "Change in counts: after minus before, and as a percentage of before (undefined when before is 0).",
  "Exact conditional test of the rate ratio: given the total, the after count is binomial with probability after-days / (before-days + after-days); two-sided p-value and Clopper–Pearson interval as R poisson.test and binom.test compute them. The two are not inverses of each other and, above all with periods of different lengths, can disagree at the border; a change is called significant only where both agree — the p-value is below the level and the interval excludes a ratio of 1 — and a p-value below the level with an interval that includes 1 is reported as borderline, the change unconfirmed [clopper1934; przyborowski1940; r-poisson-test; r-binom-test; fay2010].",
  "E-test of two Poisson means, more powerful than the conditional test for small counts, as scipy poisson_means_test computes it [krishnamoorthy2004; scipy-poisson-means-test].",
  "Rates per exposure: counts per 10,000 units of the exposure series a year, compared with the same exact test using the exposures as denominators.",
  "Difference in differences against a control: weighted displacement difference with Poisson standard error, period lengths as time weights [wheeler2018; wheeler2021-time].",
  "Displacement with a buffer: weighted displacement quotient and total net effect [bowers2003; guerette2009], with delta-method intervals over the six Poisson counts (the WDQ's unbounded when the treated area's relative change is within noise of zero) and one reading of the WDD and the TNE that explains a conflict by the control's size [oehlert1992; wheeler2018].",
  "Design strength: the Maryland Scientific Methods Scale level of each evaluation from its design alone (before measure, comparison area and whether the project reached it, number of units, randomisation), with what would raise it [sherman1997; farrington2002; bernal2017].",
  "Power and minimum detectable effect: taking the before count as the before mean, the smallest rise and fall of the rate that the exact test detects with 80 % power, summed exactly over the Poisson counts (as ptools powalt does for exact tests); the smallest WDD the z-test detects with 80 % power; the months of data equal periods would need [cohen1988; wheeler-ptools; wheeler2018].",
  "Interrupted time series: segmented Poisson and negative-binomial regression of the monthly counts with a pre-trend, a level and a slope change at the intervention and month-of-year effects, fitted by IRLS as R glm and MASS glm.nb fit them; in-time placebos (false intervention months in the pre-period) and in-space placebos (untreated areas); refused when fewer than 24 months precede the intervention or there are fewer than 5 cases per parameter [bernal2017; bernal2018; wagner2002; mccullagh1989; venables2002; peduzzi1996; vittinghoff2007; abadie2010].",
  "In-space placebos on the lake's localities: the same before/after rate ratio (0.5 added to each count) for every other locality over the same periods, the evaluation area's |log ratio| ranked among them, and the permutation p-value rank / (placebos + 1) [abadie2010; bernal2018].",
  "Synthetic control: non-negative donor-locality weights summing to 1 that best reproduce the evaluation area's monthly counts before the intervention (a quadratic programme solved by the Goldfarb–Idnani dual method, as R quadprog solves it), the weighted donors as the comparison series after, with the RMSPE before and after [abadie2010; abadie2021].",
  "Smallest detectable change: the least lopsided split of the total that the exact test calls significant (by the same rule: p-value below the level and interval excluding 1), which shows whether the counts could show a change at all.",
];

/**
 * Poisson and negative-binomial regression of counts with a log link, fitted by iteratively
 * reweighted least squares as R `glm(family = poisson)` and `MASS::glm.nb` fit them [@mccullagh1989;
 * @venables2002]. Small and dense: the interrupted time series has a few dozen rows and at most
 * fifteen columns, so the normal equations are solved by Cholesky.
 */

/** A fitted count regression. */
export interface CountFit {
  family: "poisson" | "negative_binomial";
  coefficients: number[];
  /** Model-based standard errors (glm's for Poisson; glm.nb's, with θ held at its estimate, for NB). */
  se: number[];
  /** Residual deviance and its degrees of freedom. */
  deviance: number;
  df_residual: number;
  /** Pearson χ² / residual df: about 1 when the variance is as the family says. */
  dispersion: number;
  log_likelihood: number;
  /** NB shape θ (variance μ + μ²/θ); null for Poisson. */
  theta: number | null;
  iterations: number;
  converged: boolean;
  fitted: number[];
}

const EPSILON = 1e-8; // glm.control()$epsilon
const MAX_ITERATIONS = 25; // glm.control()$maxit

/**
 * Poisson regression log μ = Xβ by IRLS, started as R starts it (μ = y + 0.1) and stopped when the
 * deviance changes by less than 10⁻⁸ relative (glm.control). Refuses rows with a negative or
 * non-integer count, and a design whose columns are linearly dependent.
 */
export function poissonRegression(y: readonly number[], x: readonly (readonly number[])[]): CountFit {
  checkData(y, x);
  const fit = irls(
    y,
    x,
    y.map((v) => v + 0.1),
    null,
  );
  return summarise(y, x, fit, null);
}

/**
 * Negative-binomial regression with unknown θ as `MASS::glm.nb` fits it: a Poisson fit, then θ by
 * maximum likelihood given μ (Newton steps on the score, `theta.ml`), then IRLS with the NB weights
 * μ/(1 + μ/θ) given θ, alternating until both settle. θ → ∞ is the Poisson model: when the counts
 * are not over-dispersed θ grows without bound and the fit is refused as such (`theta` null means
 * "use the Poisson fit").
 */
export function negativeBinomialRegression(y: readonly number[], x: readonly (readonly number[])[]): CountFit | null {
  checkData(y, x);
  let fit = irls(
    y,
    x,
    y.map((v) => v + 0.1),
    null,
  );
  let theta = thetaMl(y, fit.mu);
  if (theta === null) return null;
  let previousLoglik = Number.NEGATIVE_INFINITY;
  let outer = 0;
  for (; outer < MAX_ITERATIONS; outer++) {
    fit = irls(y, x, fit.mu, theta);
    const next = thetaMl(y, fit.mu, theta);
    if (next === null) return null;
    theta = next;
    const loglik = nbLogLikelihood(y, fit.mu, theta);
    if (Math.abs(loglik - previousLoglik) / (Math.abs(loglik) + 0.1) < EPSILON) break;
    previousLoglik = loglik;
  }
  return summarise(y, x, { ...fit, converged: fit.converged && outer < MAX_ITERATIONS }, theta);
}

function checkData(y: readonly number[], x: readonly (readonly number[])[]): void {
  if (y.length !== x.length) throw new RangeError(`${y.length} counts but ${x.length} design rows`);
  y.forEach((v, i) => {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`count ${i + 1} must be a non-negative integer, got ${v}`);
  });
  const p = x[0]?.length ?? 0;
  if (p === 0 || y.length <= p) throw new RangeError(`need more rows (${y.length}) than columns (${p})`);
}

interface IrlsResult {
  beta: number[];
  mu: number[];
  xtwxInverse: number[][];
  iterations: number;
  converged: boolean;
}

function irls(y: readonly number[], x: readonly (readonly number[])[], start: readonly number[], theta: number | null): IrlsResult {
  const n = y.length;
  const p = x[0]!.length;
  let mu = [...start];
  let eta = mu.map(Math.log);
  let beta: number[] = new Array<number>(p).fill(0);
  let xtwxInverse: number[][] = [];
  let deviance = devianceOf(y, mu, theta);
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    // Working weights and response of the log link: w = μ / V(μ) · μ, z = η + (y − μ)/μ.
    const w = mu.map((m) => (theta === null ? m : m / (1 + m / theta)));
    const z = eta.map((e, i) => e + (y[i]! - mu[i]!) / mu[i]!);
    const xtwx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const xtwz = new Array<number>(p).fill(0);
    for (let i = 0; i < n; i++) {
      const row = x[i]!;
      for (let j = 0; j < p; j++) {
        const wj = w[i]! * row[j]!;
        xtwz[j]! += wj * z[i]!;
        for (let k = 0; k <= j; k++) xtwx[j]![k]! += wj * row[k]!;
      }
    }
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) xtwx[j]![k] = xtwx[k]![j]!;
    const chol = cholesky(xtwx);
    beta = solveCholesky(chol, xtwz);
    xtwxInverse = invertCholesky(chol);
    eta = x.map((row) => row.reduce((s, v, j) => s + v * beta[j]!, 0));
    mu = eta.map(Math.exp);
    const next = devianceOf(y, mu, theta);
    if (Math.abs(next - deviance) / (Math.abs(next) + 0.1) < EPSILON) return { beta, mu, xtwxInverse, iterations: iteration, converged: true };
    deviance = next;
  }
  return { beta, mu, xtwxInverse, iterations: MAX_ITERATIONS, converged: false };
}

function summarise(y: readonly number[], x: readonly (readonly number[])[], fit: IrlsResult, theta: number | null): CountFit {
  const df = y.length - x[0]!.length;
  const variance = (m: number) => (theta === null ? m : m + (m * m) / theta);
  const pearson = y.reduce((s, v, i) => s + (v - fit.mu[i]!) ** 2 / variance(fit.mu[i]!), 0);
  return {
    family: theta === null ? "poisson" : "negative_binomial",
    coefficients: fit.beta,
    se: fit.xtwxInverse.map((row, j) => Math.sqrt(row[j]!)),
    deviance: devianceOf(y, fit.mu, theta),
    df_residual: df,
    dispersion: pearson / df,
    log_likelihood: theta === null ? poissonLogLikelihood(y, fit.mu) : nbLogLikelihood(y, fit.mu, theta),
    theta,
    iterations: fit.iterations,
    converged: fit.converged,
    fitted: fit.mu,
  };
}

// log Γ(y + 1) and log Γ(θ + y) − log Γ(θ) for integer counts, as finite sums.
const logFactorial = (y: number) => {
  let s = 0;
  for (let k = 2; k <= y; k++) s += Math.log(k);
  return s;
};
const logRisingFactorial = (theta: number, y: number) => {
  let s = 0;
  for (let k = 0; k < y; k++) s += Math.log(theta + k);
  return s;
};

function devianceOf(y: readonly number[], mu: readonly number[], theta: number | null): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) {
    const [v, m] = [y[i]!, mu[i]!];
    const term = v > 0 ? v * Math.log(v / m) : 0;
    d += theta === null ? 2 * (term - (v - m)) : 2 * (term - (v + theta) * Math.log((v + theta) / (m + theta)));
  }
  return d;
}

function poissonLogLikelihood(y: readonly number[], mu: readonly number[]): number {
  return y.reduce((s, v, i) => s + v * Math.log(mu[i]!) - mu[i]! - logFactorial(v), 0);
}

function nbLogLikelihood(y: readonly number[], mu: readonly number[], theta: number): number {
  return y.reduce((s, v, i) => {
    const m = mu[i]!;
    return s + logRisingFactorial(theta, v) - logFactorial(v) + theta * Math.log(theta / (theta + m)) + (v > 0 ? v * Math.log(m / (theta + m)) : 0);
  }, 0);
}

// θ beyond this is indistinguishable from the Poisson model for monthly crime counts.
const THETA_MAX = 1e6;

/**
 * Maximum-likelihood θ given μ, as MASS `theta.ml`: started at n / Σ(y/μ − 1)², Newton steps on the
 * score Σ[ψ(θ + y) − ψ(θ) + log θ + 1 − log(θ + μ) − (y + θ)/(θ + μ)], with ψ(θ + y) − ψ(θ) = Σₖ 1/(θ + k)
 * for integer y. Null when the counts are not over-dispersed (θ runs off to infinity).
 */
function thetaMl(y: readonly number[], mu: readonly number[], start?: number): number | null {
  const n = y.length;
  let theta = start ?? n / y.reduce((s, v, i) => s + (v / mu[i]! - 1) ** 2, 0);
  if (!(theta > 0 && Number.isFinite(theta))) return null;
  for (let iteration = 0; iteration < 50; iteration++) {
    let score = 0;
    let info = 0;
    for (let i = 0; i < n; i++) {
      const [v, m] = [y[i]!, mu[i]!];
      let digammaDiff = 0;
      let trigammaDiff = 0;
      for (let k = 0; k < v; k++) {
        digammaDiff += 1 / (theta + k);
        trigammaDiff += 1 / (theta + k) ** 2;
      }
      score += digammaDiff + Math.log(theta) + 1 - Math.log(theta + m) - (v + theta) / (theta + m);
      info += trigammaDiff - 1 / theta + 2 / (theta + m) - (v + theta) / (theta + m) ** 2;
    }
    const step = score / info;
    theta += step;
    if (!(theta > 0) || theta > THETA_MAX) return null;
    if (Math.abs(step) < 1e-10 * theta + 1e-12) return theta;
  }
  return null;
}

function cholesky(a: readonly (readonly number[])[]): number[][] {
  const p = a.length;
  const l = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2;
    if (!(d > 1e-12 * Math.max(1, a[j]![j]!)))
      throw new RangeError(`the design's column ${j + 1} is (nearly) a combination of the others: the model cannot be fitted`);
    l[j]![j] = Math.sqrt(d);
    for (let i = j + 1; i < p; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / l[j]![j]!;
    }
  }
  return l;
}

function solveCholesky(l: readonly (readonly number[])[], b: readonly number[]): number[] {
  const p = l.length;
  const z = new Array<number>(p).fill(0);
  for (let i = 0; i < p; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * z[k]!;
    z[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(p).fill(0);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < p; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

function invertCholesky(l: readonly (readonly number[])[]): number[][] {
  const p = l.length;
  const columns = Array.from({ length: p }, (_, j) =>
    solveCholesky(
      l,
      Array.from({ length: p }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  return Array.from({ length: p }, (_, i) => columns.map((c) => c[i]!));
}

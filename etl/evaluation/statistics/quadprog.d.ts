// Types of the quadprog package (a JavaScript port of R's quadprog, Goldfarb–Idnani dual method), which ships none.
// Arrays are 1-based as in the Fortran original: element 0 is unused. Dmat and dvec are overwritten.
declare module "quadprog" {
  export function solveQP(
    Dmat: number[][],
    dvec: number[],
    Amat: number[][],
    bvec: number[],
    meq?: number,
    factorized?: number[],
  ): { solution: number[]; value: number[]; Lagrangian: number[]; iact: number[]; iterations: number[]; message: string };
}

# The benchmark's peer of the randomisation stage: R spdep localG_perm (Gi*, binary weights,
# include.self, nsim = 999) on a sample of the cell-month grid's vectors. Reads what
# bench/inference-peer.ts wrote to the folder given:
#   sample.f64  counts, one vector of `cells` doubles per sampled (month, category), little-endian
#   edges.i32   k-ring neighbour pairs (from, to), 1-based, self excluded, little-endian
#   meta.txt    cells sampled_vectors nsim
# Times building the weights (also reported apart) and the localG_perm calls (not reading files) and prints one JSON
# line: seconds for the sample, the vectors and cells, and how many cells R finds significant at
# 5 % (two-sided, its permutation p-value), for a rough check against ours.
suppressPackageStartupMessages(library(spdep))
dir <- commandArgs(trailingOnly = TRUE)[1]
meta <- scan(file.path(dir, "meta.txt"), quiet = TRUE)
cells <- meta[1]
vectors <- meta[2]
nsim <- meta[3]
grid <- readBin(file.path(dir, "sample.f64"), "double", n = cells * vectors, size = 8, endian = "little")
edges <- matrix(readBin(file.path(dir, "edges.i32"), "integer", n = file.size(file.path(dir, "edges.i32")) / 4, size = 4, endian = "little"), ncol = 2, byrow = TRUE)

started <- proc.time()[["elapsed"]]
cpu_started <- sum(proc.time()[c("user.self", "sys.self")])
nb <- split(edges[, 2], factor(edges[, 1], levels = seq_len(cells)))
nb <- lapply(nb, function(js) if (length(js) == 0) 0L else sort(as.integer(js)))
class(nb) <- "nb"
attr(nb, "region.id") <- as.character(seq_len(cells))
attr(nb, "sym") <- TRUE
lw <- nb2listw(include.self(nb), style = "B", zero.policy = TRUE)
# The weights apart too: the pipeline builds its k-ring weights once per run, outside its Gi* span.
weights_seconds <- proc.time()[["elapsed"]] - started
weights_cpu_seconds <- sum(proc.time()[c("user.self", "sys.self")]) - cpu_started
significant <- 0
for (v in seq_len(vectors)) {
  x <- grid[((v - 1) * cells + 1):(v * cells)]
  g <- localG_perm(x, lw, nsim = nsim, zero.policy = TRUE, iseed = v)
  p <- attr(g, "internals")[, "Pr(z != E(Gi)) Sim"]
  significant <- significant + sum(is.finite(p) & p < 0.05)
}
seconds <- proc.time()[["elapsed"]] - started
# CPU seconds too: on a shared machine the wall time swings with the load, the CPU time much less.
cpu_seconds <- sum(proc.time()[c("user.self", "sys.self")]) - cpu_started
cat(sprintf('{"seconds": %.6f, "cpu_seconds": %.6f, "weights_seconds": %.6f, "weights_cpu_seconds": %.6f, "vectors": %d, "cells": %d, "nsim": %d, "significant_5pc": %d, "spdep": "%s", "r": "%s"}\n',
            seconds, cpu_seconds, weights_seconds, weights_cpu_seconds, vectors, cells, nsim, significant, packageVersion("spdep"), getRversion()))

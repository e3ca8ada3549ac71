# The benchmark's peer: R spdep localG (Gi*, binary weights, include.self) on the same cell-month
# grid as the pipeline's Gi* stage. Reads what bench/spdep-peer.ts wrote to the folder given:
#   grid.f64   counts, one vector of `cells` doubles per (month, category), little-endian
#   edges.i32  k-ring neighbour pairs (from, to), 1-based, self excluded, little-endian
#   ours.f64   the pipeline's gi_z for the same vectors (NaN where undefined)
#   meta.txt   cells vectors
# Times building the weights (also reported apart) and the localG calls (not reading files) and prints one JSON line:
# seconds, vectors, cells, and the largest |z - z_ours|.
suppressPackageStartupMessages(library(spdep))
dir <- commandArgs(trailingOnly = TRUE)[1]
meta <- scan(file.path(dir, "meta.txt"), quiet = TRUE)
cells <- meta[1]
vectors <- meta[2]
grid <- readBin(file.path(dir, "grid.f64"), "double", n = cells * vectors, size = 8, endian = "little")
ours <- readBin(file.path(dir, "ours.f64"), "double", n = cells * vectors, size = 8, endian = "little")
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
z <- numeric(cells * vectors)
for (v in seq_len(vectors)) {
  range <- ((v - 1) * cells + 1):(v * cells)
  z[range] <- as.numeric(localG(grid[range], lw, zero.policy = TRUE))
}
seconds <- proc.time()[["elapsed"]] - started
# CPU seconds too: on a shared machine the wall time swings with the load, the CPU time much less.
cpu_seconds <- sum(proc.time()[c("user.self", "sys.self")]) - cpu_started

both <- is.finite(z) & is.finite(ours)
diff <- if (any(both)) max(abs(z[both] - ours[both])) else 0
undefined_mismatch <- sum(is.finite(z) != is.finite(ours))
cat(sprintf('{"seconds": %.6f, "cpu_seconds": %.6f, "weights_seconds": %.6f, "weights_cpu_seconds": %.6f, "vectors": %d, "cells": %d, "max_abs_diff": %.3e, "undefined_mismatch": %d, "spdep": "%s", "r": "%s"}\n',
            seconds, cpu_seconds, weights_seconds, weights_cpu_seconds, vectors, cells, diff, undefined_mismatch, packageVersion("spdep"), getRversion()))

import { SingleBar, Presets } from "cli-progress";

/** A progress display for one long stage, shown on stderr only when it is a terminal and not in --json mode. */
export interface Progress {
  update(done: number, total?: number, label?: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar (or a silent stand-in) for a stage named `title`, drawn from its first update on, so
 * that the bars of a run's stages appear one after another; `stop()` before any update draws nothing.
 */
export function startProgress(title: string, enabled: boolean, total = 0): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  const bar = new SingleBar(
    { format: `${title.padEnd(9)} [{bar}] {value}/{total} {label}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let state: "waiting" | "drawing" | "stopped" = "waiting";
  return {
    update(done, newTotal, label = "") {
      if (state === "stopped") return;
      if (state === "waiting") bar.start(newTotal ?? total, 0, { label: "" });
      state = "drawing";
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done, { label });
    },
    stop() {
      if (state === "drawing") bar.stop();
      state = "stopped";
    },
  };
}

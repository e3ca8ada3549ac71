import { SingleBar, Presets } from "cli-progress";

/** A progress display for one long stage, shown on stderr only when it is a terminal and not in --json mode. */
export interface Progress {
  update(done: number, total?: number, label?: string): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

/** Starts a progress bar (or a silent stand-in) for a stage named `title`. */
export function startProgress(title: string, enabled: boolean, total = 0): Progress {
  if (!enabled || !process.stderr.isTTY) return silent;
  const bar = new SingleBar(
    { format: `${title.padEnd(9)} [{bar}] {value}/{total} {label}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: "" });
  return {
    update(done, newTotal, label = "") {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done, { label });
    },
    stop: () => bar.stop(),
  };
}

import { resolve } from "node:path";
import type { Command } from "commander";
import { checkLake, type LakeCheck } from "../lake/check-lake.ts";
import { recoverLake } from "../lake/lake-commit.ts";
import { RAW_RETENTION } from "../lake/retention.ts";
import type { CliContext } from "./context.ts";

/** Exit code of `check` when the lake is not exactly what its manifest lists. */
export const EXIT_LAKE_DAMAGED = 4;

/** `check`: verifies the lake against its manifest and says what to do about each finding; changes nothing unless --repair. */
export function register(program: Command, cli: CliContext): void {
  program
    .command("check")
    .description(
      "verify the lake against its manifest: each listed file there with its SHA-256 and rows, no unlisted Parquet file, no half-done commit (changes nothing unless --repair)",
    )
    .option(
      "--repair",
      "first complete a commit a killed command left half-done, or remove its temporary files (what the next writing command would do)",
      false,
    )
    .action(async (opts: { repair: boolean }) => {
      const lakeDir = resolve(String(program.opts().lake));
      const repaired = opts.repair ? await recoverLake(lakeDir) : undefined;
      // --now (the global option) dates the retention too: as of then, which quarantine files had expired.
      const now = (program.opts().now as Date | undefined) ?? new Date();
      const result = { ...(await checkLake(lakeDir, now)), ...(repaired ? { repaired } : {}) };
      cli.report(result, (c) => [...(c.repaired ? [repairText(c.repaired)] : []), checkText(c)].join("\n"));
      if (!result.ok) process.exitCode = EXIT_LAKE_DAMAGED;
    });
}

function repairText(r: { rolledForward: boolean; removedTemporary: number }): string {
  if (!r.rolledForward && r.removedTemporary === 0) return "Nothing to repair: no half-done commit.";
  return `Repaired: ${r.rolledForward ? "completed the interrupted commit from its journal" : "no journal to complete"}; removed ${r.removedTemporary} temporary file(s).`;
}

/** The findings, each with the safe way out. */
export function checkText(c: LakeCheck): string {
  const expired =
    c.expired.length === 0
      ? []
      : [
          `  ${c.expired.length} quarantine file(s) expired, as intended: written over ${RAW_RETENTION.expireAfterDays} days ago, when the retention the lake bucket's lifecycle rule applies to raw exports removes them (their rows' reasons stay in the manifest's reports); nothing to do.`,
          ...c.expired.slice(0, 10).map((e) => `    ${e.file} (written ${e.written.slice(0, 10)})`),
          ...(c.expired.length > 10 ? [`    … and ${c.expired.length - 10} more`] : []),
        ];
  if (c.ok)
    return [
      `Lake OK: the ${c.files - c.expired.length} files the manifest lists are there with their recorded bytes and rows (${rowsText(c.rows)}); nothing unlisted, no half-done commit.`,
      ...expired,
    ].join("\n");
  const list = (items: string[]) =>
    items
      .slice(0, 10)
      .map((f) => `    ${f}`)
      .concat(items.length > 10 ? [`    … and ${items.length - 10} more`] : []);
  const lines = [`Lake NOT as its manifest lists (${c.files} files listed):`];
  if (c.journal || c.temporary.length > 0) {
    lines.push(
      `  a commit was interrupted${c.journal ? " (its journal is waiting)" : ""}: \`hotspots check --repair\` (or any other command on the lake) completes or removes it.`,
      ...list(c.temporary),
    );
  }
  if (c.missing.length > 0)
    lines.push(`  ${c.missing.length} listed file(s) missing: ingest their source files again (or restore them from a backup).`, ...list(c.missing));
  if (c.checksum_mismatches.length > 0)
    lines.push(
      `  ${c.checksum_mismatches.length} file(s) changed since they were written: restore them, or ingest their sources again.`,
      ...list(c.checksum_mismatches.map((m) => m.file)),
    );
  if (c.row_mismatches.length > 0)
    lines.push(
      `  ${c.row_mismatches.length} file(s) with another number of rows than recorded: ingest their sources again.`,
      ...list(c.row_mismatches.map((m) => `${m.file}: ${m.found} rows, ${m.recorded} recorded`)),
    );
  if (c.strays.length > 0)
    lines.push(`  ${c.strays.length} Parquet file(s) no commit lists (no reader sees them): move them out of the lake.`, ...list(c.strays));
  return [...lines, ...expired].join("\n");
}

const rowsText = (rows: Record<string, number>) =>
  Object.entries(rows)
    .map(([table, n]) => `${table} ${n.toLocaleString("en-GB")}`)
    .join(", ") || "no rows";

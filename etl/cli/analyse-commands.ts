import type { Command } from "commander";
import type { CliContext } from "./context.ts";
import { runAnalyse } from "./pipeline-commands.ts";
import { summaryText } from "./summary-text.ts";

/** Hot-spot analytics commands: analyse (and, as they come, forecast and backtest). */
export function register(program: Command, cli: CliContext): void {
  program
    .command("analyse")
    .description("monthly Getis-Ord Gi* hot spots per H3 cell and offence category over the study area")
    .action(async () => {
      const settings = cli.settings();
      cli.report({ lake: settings.lakeDir, analyse: await runAnalyse(settings, cli) }, summaryText);
    });
}

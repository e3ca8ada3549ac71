import { hotspotsProgram } from "./program.ts";

// Entry point of `hotspots` (bin/hotspots.js, npm start): parses the arguments and runs the command,
// loading only that command's modules.
try {
  await (await hotspotsProgram(process.argv.slice(2))).parseAsync();
} catch (error) {
  process.stderr.write(`hotspots: ${(error as Error).message}\n`);
  process.exitCode = 1;
}

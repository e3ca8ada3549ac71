import { App } from "aws-cdk-lib";
import { LakeStack } from "../lib/lake-stack.ts";

// Wires the stacks only; each concern lives in its own construct under infra/lib/.
// Environment-agnostic, so `npm run synth` needs no AWS credentials.
const app = new App();
new LakeStack(app, "HotspotsLake", {
  description: "Crime-prevention analytics: raw uploads and the curated Parquet lake",
});
app.synth();

/**
 * cdk-nag (3.x validation plugin, AwsSolutions pack) over every stack of the deployment, in both
 * access modes: zero unacknowledged findings, every acknowledgement carries its reason, and the
 * real app (infra/bin/app.ts) synthesises with no AWS credentials and no network.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Validations, type App } from "aws-cdk-lib";
import { Bucket } from "aws-cdk-lib/aws-s3";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import cdkJson from "../cdk.json" with { type: "json" };
import { buildInfra } from "./helpers/infra-app.ts";
import { projectRoot } from "./helpers/shared.ts";

const withNag = (app: App) => Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

/** Every acknowledgement recorded in the construct tree: where, which rule, why. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^[^:]+::/, ""), reason })),
        ),
    );
}

describe("cdk-nag AwsSolutions", () => {
  for (const [mode, overrides] of [
    ["WAF mode", { access: "waf" as const }],
    ["Cognito mode", { access: "cognito" as const }],
    ["own domain", { access: "waf" as const, siteDomain: "hotspots.example.lt", certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" }],
    ["lake data-event trail, second stack", { access: "waf" as const, lakeDataEvents: true, stackName: "HotspotsKaunas" }],
  ] as const) {
    it(`${mode}: no unacknowledged finding`, () => {
      const { app } = buildInfra(overrides, withNag);
      expect(() => app.synth()).not.toThrow();
      // A synth with cdk-nag in this process: 58 s for WAF mode at load average 20 on 2 cores, against vitest's default 60 s.
    }, 180_000);
  }

  it("is really checking: an unencrypted, unlogged bucket fails the synth", () => {
    const { app, stack } = buildInfra({}, withNag);
    new Bucket(stack, "Careless");
    expect(() => app.synth()).toThrow(/AwsSolutions-S1[\s\S]*Hotspots\/Careless/);
  });

  it("each acknowledgement is specific and justified in code", () => {
    const acks = [...acknowledgements(buildInfra({ access: "waf" }).app), ...acknowledgements(buildInfra({ access: "cognito" }).app)];
    for (const ack of acks) expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(80);
    const rules = [...new Set(acks.map((a) => a.id.replace(/\[.*$/, "")))].sort();
    // A new kind of acknowledgement must be a deliberate change of this list.
    expect(rules).toEqual([
      "AwsSolutions-CFR2",
      "AwsSolutions-CFR4",
      "AwsSolutions-IAM4",
      "AwsSolutions-IAM5",
      "AwsSolutions-L1",
      "AwsSolutions-S1",
      "AwsSolutions-SQS3",
    ]);
    // Wildcards are acknowledged one resource pattern at a time, never as a whole rule.
    for (const ack of acks.filter((a) => a.id.startsWith("AwsSolutions-IAM"))) expect(ack.id).toMatch(/\[(Resource|Policy)::.+\]$/);
  });
});

describe("synth of the real app", () => {
  const unshare = spawnSync("unshare", ["-n", "true"]).status === 0;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("CDK_")));

  for (const [mode, context] of [
    ["WAF mode", { allowedCidrs: "192.0.2.0/24" }],
    ["Cognito mode", { access: "cognito" }],
  ] as const) {
    it(`${mode}: infra/bin/app.ts synthesises with no AWS credentials${unshare ? " and no network" : ""}`, () => {
      const out = mkdtempSync(join(tmpdir(), "synth-"));
      try {
        const command = [process.execPath, join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs"), join(projectRoot, "infra", "bin", "app.ts")];
        const result = spawnSync(unshare ? "unshare" : command[0]!, unshare ? ["-n", ...command] : command.slice(1), {
          cwd: projectRoot,
          encoding: "utf8",
          timeout: 290_000,
          env: {
            ...env,
            AWS_CONFIG_FILE: "/nonexistent",
            AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
            CDK_OUTDIR: out,
            // What `cdk synth` passes: cdk.json's context and -c values; bundling is the e2e test's job.
            CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...context, "aws:cdk:bundling-stacks": [] }),
          },
        });
        expect(result.status, result.stderr).toBe(0);
        const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { artifacts: Record<string, { type: string; environment?: string }> };
        const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === "aws:cloudformation:stack");
        // The data stack in eu-north-1; the WAF web ACL (WAF mode) or the sign-in edge function (Cognito mode) in us-east-1.
        expect(stacks.map(([, a]) => a.environment).sort()).toEqual(["aws://unknown-account/eu-north-1", "aws://unknown-account/us-east-1"]);
        expect(existsSync(join(out, "Hotspots.template.json"))).toBe(true);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
      // A synth spawns tsx and the whole CDK app: ~20 s alone, 84–86 s at load average 20 on 2 cores.
    }, 300_000);
  }
});

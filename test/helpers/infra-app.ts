/** The deployment's stacks built in memory for assertions: no bundling, no credentials. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll } from "vitest";
import cdkJson from "../../cdk.json" with { type: "json" };
import { defaultDeploymentConfig, type DeploymentConfig } from "../../infra/lib/deployment-config.ts";
import { HotspotsStack } from "../../infra/lib/hotspots-stack.ts";
import { SiteFirewallStack } from "../../infra/lib/site-firewall-stack.ts";

// One folder for the synthesis output of this test file's Apps (CDK would otherwise leave a cdk.out*
// folder in the temporary directory per App), removed after the file's tests.
const synthRoot = mkdtempSync(join(tmpdir(), "hotspots-cdk-test-"));
afterAll(() => rmSync(synthRoot, { recursive: true, force: true }));

/** The app and its templates; templates are synthesised on first access (after which the tree is frozen). */
export interface InfraUnderTest {
  app: App;
  stack: HotspotsStack;
  readonly main: Template;
  readonly firewall: Template | null;
  /** CDK's us-east-1 stack of the sign-in edge function (Cognito mode). */
  readonly edge: Template | null;
}

/** Builds the stacks as infra/bin/app.ts wires them, for the given configuration. */
export function buildInfra(overrides: Partial<DeploymentConfig> = {}, wire?: (app: App) => void): InfraUnderTest {
  const app = new App({ outdir: mkdtempSync(join(synthRoot, "app-")), context: { ...cdkJson.context, "aws:cdk:bundling-stacks": [] } });
  wire?.(app);
  const config = defaultDeploymentConfig({ allowedCidrs: ["192.0.2.0/24", "2001:db8::/32"], ...overrides });
  const fw =
    config.access === "waf"
      ? new SiteFirewallStack(app, `${config.stackName}Firewall`, {
          env: { region: "us-east-1" },
          crossRegionReferences: true,
          allowedCidrs: config.allowedCidrs,
        })
      : null;
  const stack = new HotspotsStack(app, config.stackName, {
    env: { region: config.region },
    crossRegionReferences: true,
    config,
    ...(fw ? { webAclArn: fw.webAcl.attrArn } : {}),
  });
  const edgeStack = app.node.children.find((c) => c.node.id.startsWith("edge-lambda-stack-")) as Stack | undefined;
  const templates = new Map<string, Template | null>();
  const lazy = (name: string, of: Stack | null | undefined) => () => {
    if (!templates.has(name)) templates.set(name, of ? Template.fromStack(of) : null);
    return templates.get(name)!;
  };
  const main = lazy("main", stack);
  const firewall = lazy("firewall", fw);
  const edge = lazy("edge", edgeStack);
  return {
    app,
    stack,
    get main() {
      return main()!;
    },
    get firewall() {
      return firewall();
    },
    get edge() {
      return edge();
    },
  };
}

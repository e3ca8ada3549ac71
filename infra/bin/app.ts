import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { readDeploymentConfig } from "../lib/deployment-config.ts";
import { HotspotsStack } from "../lib/hotspots-stack.ts";
import { SiteFirewallStack } from "../lib/site-firewall-stack.ts";

// Wires the stacks only; each concern lives in its own construct under infra/lib/. Nothing here
// looks anything up in an account, so `npm run synth` needs no AWS credentials. Every stack is
// checked with cdk-nag's AwsSolutions pack: an unacknowledged finding fails the synth.
const app = new App();
const config = readDeploymentConfig(app.node);
const firewall =
  config.access === "waf"
    ? new SiteFirewallStack(app, `${config.stackName}Firewall`, {
        env: { account: config.account, region: "us-east-1" },
        crossRegionReferences: true,
        allowedCidrs: config.allowedCidrs,
        description: "Crime hot-spot dashboard: WAF IP allow-list (CloudFront scope, us-east-1)",
      })
    : undefined;
new HotspotsStack(app, config.stackName, {
  env: { account: config.account, region: config.region },
  crossRegionReferences: true,
  config,
  ...(firewall ? { webAclArn: firewall.webAcl.attrArn } : {}),
  description: "Crime hot-spot analytics: raw exports, Parquet lake, ETL function, private dashboard, Athena",
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();

import { Annotations, Stack, type StackProps } from "aws-cdk-lib";
import { CfnIPSet, CfnWebACL } from "aws-cdk-lib/aws-wafv2";
import type { Construct } from "constructs";

export interface SiteFirewallStackProps extends StackProps {
  /** Networks allowed to open the dashboard (IPv4 and IPv6 CIDR blocks). */
  allowedCidrs: readonly string[];
}

/**
 * The WAF web ACL in front of the dashboard: only requests from the listed networks (the police
 * networks' egress addresses) are allowed, everything else is blocked. CloudFront-scoped web ACLs
 * exist only in us-east-1, hence a stack of its own there; the data stack refers to it across
 * regions. With no network listed nothing is allowed (fail closed).
 */
export class SiteFirewallStack extends Stack {
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: SiteFirewallStackProps) {
    super(scope, id, props);
    const v4 = props.allowedCidrs.filter((c) => !c.includes(":"));
    const v6 = props.allowedCidrs.filter((c) => c.includes(":"));
    if (props.allowedCidrs.length === 0) {
      Annotations.of(this).addWarningV2("hotspots:noAllowedCidrs", "no -c allowedCidrs given: the dashboard will answer 403 to everyone");
    }
    const rules: CfnWebACL.RuleProperty[] = [];
    for (const [version, addresses] of [
      ["IPV4", v4],
      ["IPV6", v6],
    ] as const) {
      if (addresses.length === 0) continue;
      const set = new CfnIPSet(this, `Allowed${version}`, {
        scope: "CLOUDFRONT",
        ipAddressVersion: version,
        addresses: [...addresses],
        description: "Networks allowed to open the hot-spot dashboard",
      });
      rules.push({
        name: `allow-${version.toLowerCase()}`,
        priority: rules.length,
        action: { allow: {} },
        statement: { ipSetReferenceStatement: { arn: set.attrArn } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: `allow-${version.toLowerCase()}`, sampledRequestsEnabled: true },
      });
    }
    this.webAcl = new CfnWebACL(this, "WebAcl", {
      scope: "CLOUDFRONT",
      description: "Hot-spot dashboard: allow the police networks only",
      defaultAction: { block: {} },
      rules,
      visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: "hotspots-dashboard", sampledRequestsEnabled: true },
    });
  }
}

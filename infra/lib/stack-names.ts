import { Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * Names of the resources that are named account-wide (Glue database, Athena workgroup, Cognito
 * domain), derived from the stack's name so that two stacks (`-c stackName=…`) live in one account.
 * The default stack `Hotspots` gives `hotspots`.
 */
export function stackResourceNames(scope: IConstruct): { glueDatabase: string; athenaWorkGroup: string; cognitoDomainPrefix: string } {
  const stack = Stack.of(scope);
  const lower = stack.stackName.toLowerCase();
  return {
    glueDatabase: lower.replace(/[^a-z0-9]+/g, "_"),
    athenaWorkGroup: lower.replace(/[^a-z0-9._-]+/g, "-"),
    cognitoDomainPrefix: `${lower.replace(/[^a-z0-9-]+/g, "-")}-${stack.account}`,
  };
}

import { CfnElement, Stack, Validations } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * Acknowledges cdk-nag findings on `scope` (and everything under it) with one reason. cdk-nag 3
 * matches acknowledgements by exact id, finding included: `AwsSolutions-IAM5[Resource::<Logical.Arn>/*]`.
 */
export function acknowledge(scope: IConstruct, ids: ReadonlyArray<string | null>, reason: string): void {
  for (const id of ids) if (id !== null) Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The cdk-nag IAM5 finding id for a wildcard resource `<resource's ARN><suffix>`, e.g. `/lake/*`;
 * null for a resource not defined in this app (an imported bucket has a literal ARN, no finding id).
 */
export function wildcardResource(resource: IConstruct, suffix: string): string | null {
  const element = resource.node.defaultChild;
  if (element === undefined || !CfnElement.isCfnElement(element)) return null;
  const stack = Stack.of(element);
  return `AwsSolutions-IAM5[Resource::<${stack.resolve(stack.getLogicalId(element)) as string}.Arn>${suffix}]`;
}

/** Constructs directly under the stack whose id starts with `prefix` (CDK's singleton helpers). */
export function stackChildren(scope: IConstruct, prefix: string): IConstruct[] {
  return Stack.of(scope).node.children.filter((child) => child.node.id.startsWith(prefix));
}

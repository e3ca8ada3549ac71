import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { LakeStack } from "../infra/lib/lake-stack.ts";
import cdkJson from "../cdk.json" with { type: "json" };

describe("LakeStack", () => {
  const template = Template.fromStack(new LakeStack(new App({ context: cdkJson.context }), "Test"));

  it("creates three buckets, all encrypted, versioned, private and retained", () => {
    template.resourceCountIs("AWS::S3::Bucket", 3);
    template.allResourcesProperties("AWS::S3::Bucket", {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] },
      VersioningConfiguration: { Status: "Enabled" },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    const buckets = template.findResources("AWS::S3::Bucket");
    for (const bucket of Object.values(buckets)) expect(bucket.DeletionPolicy).toBe("Retain");
  });

  it("denies every request that is not over TLS, on every bucket", () => {
    const policies = template.findResources("AWS::S3::BucketPolicy", {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      },
    });
    expect(Object.keys(policies)).toHaveLength(3);
  });

  it("logs access to the raw and curated buckets and expires raw uploads", () => {
    const logged = template.findResources("AWS::S3::Bucket", { Properties: { LoggingConfiguration: Match.anyValue() } });
    expect(Object.keys(logged)).toHaveLength(2);
    template.hasResourceProperties("AWS::S3::Bucket", {
      LoggingConfiguration: Match.anyValue(),
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 365, Status: "Enabled" })]) },
    });
  });
});

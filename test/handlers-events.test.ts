/**
 * The Lambda adapters' pure parts: how invocations are classified and keys decoded, how the
 * configuration is read, how built pages are re-pointed at new data files, S3 URLs, and the
 * Cognito sign-in check at the edge (tokens signed with a key generated here, JWKS and token
 * endpoint answered by a stub fetch).
 */
import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { CloudFrontRequest, CloudFrontResultResponse } from "aws-lambda";
import { beforeEach, describe, expect, it } from "vitest";
import { addMonths } from "../etl/analytics/monthly-counts.ts";
import { decodeS3Key, MalformedEventError, parseEtlEvent } from "../etl/handlers/etl-event.ts";
import { BUNDLED_CONTEXT } from "../etl/context/bundled-context.ts";
import { handlerConfig } from "../etl/handlers/handler-config.ts";
import { repointDataFiles } from "../etl/handlers/publish-site.ts";
import { cleanUrl, forgetSigningKeys, signInRequest, verifyIdToken, type SignInConfig, type SignInDependencies } from "../etl/handlers/site-sign-in.ts";
import { CLEAN_URL_FUNCTION } from "../infra/lib/site-hosting.ts";
import { formatS3Url, keyOf, parseS3Url, relativeKey } from "../etl/storage/s3-url.ts";

const record = (key: string, eventName = "ObjectCreated:Put") => ({ eventSource: "aws:s3", eventName, s3: { bucket: { name: "raw" }, object: { key } } });

describe("ETL events", () => {
  it("decodes S3 keys as notifications carry them: URL-encoded, '+' for a space", () => {
    expect(decodeS3Key("raw/siauliai-demo/%C5%A0iauliai+2019+Q1.csv")).toBe("raw/siauliai-demo/Šiauliai 2019 Q1.csv");
    expect(decodeS3Key("raw/a/plus%2Bsign.csv")).toBe("raw/a/plus+sign.csv");
    expect(() => decodeS3Key("raw/%E0%A4%A")).toThrow(MalformedEventError);
  });

  it("classifies notifications, schedules and S3's test event", () => {
    expect(parseEtlEvent({ Records: [record("raw/x/a+b.csv"), record("raw/x/c.csv", "ObjectCreated:CompleteMultipartUpload")] })).toEqual({
      kind: "objects-created",
      objects: [
        { bucket: "raw", key: "raw/x/a b.csv" },
        { bucket: "raw", key: "raw/x/c.csv" },
      ],
    });
    expect(parseEtlEvent({ task: "analyse-publish" })).toEqual({ kind: "scheduled", task: "analyse-publish" });
    expect(parseEtlEvent({ task: "ingest-sweep", lookbackHours: 720 })).toEqual({ kind: "scheduled", task: "ingest-sweep", lookbackHours: 720 });
    expect(parseEtlEvent({ task: "analyse-publish", recentMonths: 0 })).toEqual({ kind: "scheduled", task: "analyse-publish", recentMonths: 0 });
    expect(parseEtlEvent({ Service: "Amazon S3", Event: "s3:TestEvent" })).toEqual({ kind: "s3-test-event" });
  });

  it("counts months back across years", () => {
    expect(addMonths("2019-03", 0)).toBe("2019-03");
    expect(addMonths("2019-03", -2)).toBe("2019-01");
    expect(addMonths("2019-03", -3)).toBe("2018-12");
    expect(addMonths("2019-01", -25)).toBe("2016-12");
  });

  it("refuses anything else with what was expected and what was received (truncated)", () => {
    expect(() => parseEtlEvent(null)).toThrow(/expected a JSON object; received null/);
    expect(() => parseEtlEvent([])).toThrow(/expected a JSON object/);
    expect(() => parseEtlEvent({ Records: [{ eventSource: "aws:sqs" }] })).toThrow(/record 0 is not from aws:s3/);
    expect(() => parseEtlEvent({ Records: [{ eventSource: "aws:s3", eventName: "ObjectCreated:Put", s3: {} }] })).toThrow(/no s3.bucket.name or s3.object.key/);
    expect(() => parseEtlEvent({ task: "ingest-sweep", lookbackHours: -1 })).toThrow(/lookbackHours must be a positive number/);
    expect(() => parseEtlEvent({ task: "analyse-publish", recentMonths: 1.5 })).toThrow(/recentMonths must be a whole number/);
    const long = parseEtlEventError({ detail: "x".repeat(1000) });
    expect(long.length).toBeLessThan(500);
    expect(long).toMatch(/…$/);
  });
});

function parseEtlEventError(event: unknown): string {
  try {
    parseEtlEvent(event);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an error");
}

describe("handler configuration", () => {
  it("needs the lake and raw locations, and says which one is missing", () => {
    expect(() => handlerConfig({})).toThrow(/missing its LAKE_URL setting/);
    expect(() => handlerConfig({ LAKE_URL: "s3://lake/lake" })).toThrow(/missing its RAW_URL setting/);
    expect(() => handlerConfig({ LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw" })).toThrow(/RAW_URL must name a prefix/);
    expect(() => handlerConfig({ LAKE_URL: "/local/lake", RAW_URL: "s3://raw/raw" })).toThrow(/not an S3 URL/);
    expect(() => handlerConfig({ LAKE_URL: "s3://lake/lake", RAW_URL: "s3://raw/raw", H3_RESOLUTION: "eight" })).toThrow(
      /H3_RESOLUTION must be a whole number from 0 to 15, not .eight./,
    );
  });

  it("reads the settings the stack sets", () => {
    const config = handlerConfig({
      LAKE_URL: "s3://lake/lake",
      RAW_URL: "s3://raw/raw",
      SITE_URL: "s3://site",
      STUDY_MUNICIPALITIES: "Šiaulių m. sav.; Kelmės r. sav.",
      H3_RESOLUTION: "9",
      WORK_DIR: "/tmp",
    });
    expect(config).toMatchObject({
      lakeUrl: "s3://lake/lake",
      raw: { bucket: "raw", prefix: "raw" },
      siteUrl: "s3://site",
      workDir: "/tmp",
      sweepLookbackHours: 48,
    });
    expect(config.settings).toMatchObject({ resolution: 9, studyMunicipalities: ["Šiaulių m. sav.", "Kelmės r. sav."], timeZone: "Europe/Vilnius" });
    // No context of the deployment's own: the demo's files, which only a lake of the demo's data gets.
    expect(config).toMatchObject({ exposureCsv: null, projectsJson: null, demoContext: BUNDLED_CONTEXT });
  });

  it("reads a deployment's own context files and where the asset keeps the demo's", () => {
    const config = handlerConfig({
      LAKE_URL: "s3://lake/lake",
      RAW_URL: "s3://raw/raw",
      PROJECTS_JSON: "/opt/city/projects.json",
      DEMO_EXPOSURE_CSV: "/var/task/context/immigration.csv",
      DEMO_PROJECTS_JSON: "/var/task/context/projects.json",
    });
    expect(config).toMatchObject({
      exposureCsv: null,
      projectsJson: "/opt/city/projects.json",
      demoContext: { exposureCsv: "/var/task/context/immigration.csv", projectsJson: "/var/task/context/projects.json" },
    });
  });
});

describe("S3 URLs", () => {
  it("parse, join and relativise", () => {
    const lake = parseS3Url("s3://curated-bucket/lake/");
    expect(lake).toEqual({ bucket: "curated-bucket", prefix: "lake" });
    expect(keyOf(lake, "manifest.json")).toBe("lake/manifest.json");
    expect(relativeKey(lake, "lake/incidents/month=2019-01/a.parquet")).toBe("incidents/month=2019-01/a.parquet");
    expect(relativeKey(lake, "lakeside/x")).toBeNull();
    expect(keyOf(parseS3Url("s3://site"), "index.html")).toBe("index.html");
    expect(formatS3Url(lake, "manifest.json")).toBe("s3://curated-bucket/lake/manifest.json");
    expect(() => parseS3Url("s3://Bad_Bucket/x")).toThrow(/not a valid S3 bucket name/);
    expect(() => parseS3Url("lake/")).toThrow(/expected s3:\/\/bucket\/prefix/);
  });
});

describe("re-pointing built pages at new data files", () => {
  const page = [
    'registerFile("./data/meta.json", {"name":"./data/meta.json","mimeType":"application/json","path":"./_file/data/meta.59db0b48.json","lastModified":1795598457195,"size":1288});',
    'registerFile("./data/other.csv", {"name":"./data/other.csv","mimeType":"text/csv","path":"./_file/data/other.11111111.csv","lastModified":1,"size":2});',
  ].join("\n");

  it("rewrites path, size and date of the published files and leaves other registrations alone", () => {
    const out = repointDataFiles(page, new Map([["./data/meta.json", { path: "./_file/data/meta.abcdef12.json", size: 99 }]]), 42);
    expect(out).toContain(
      'registerFile("./data/meta.json", {"name":"./data/meta.json","mimeType":"application/json","path":"./_file/data/meta.abcdef12.json","lastModified":42,"size":99})',
    );
    expect(out).toContain('"path":"./_file/data/other.11111111.csv"');
    expect(repointDataFiles(page, new Map(), 42)).toBe(page);
  });
});

describe("clean URLs", () => {
  it("the CloudFront function and the sign-in function map pages to their .html keys alike", () => {
    const handler = new Function(`${CLEAN_URL_FUNCTION}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    for (const [uri, key] of [
      ["/", "/index.html"],
      ["/hotspots", "/hotspots.html"],
      ["/_file/data/meta.abcdef12.json", "/_file/data/meta.abcdef12.json"],
      ["/_npm/d3@7.9.0/8cc87dd3.js", "/_npm/d3@7.9.0/8cc87dd3.js"],
      ["/reports/", "/reports/index.html"],
    ] as const) {
      expect(handler({ request: { uri } }).uri, uri).toBe(key);
      expect(cleanUrl(uri), uri).toBe(key);
    }
  });
});

describe("Cognito sign-in at the edge", () => {
  const config: SignInConfig = {
    region: "eu-north-1",
    userPoolId: "eu-north-1_TEST",
    clientId: "client-1",
    domain: "hotspots-1.auth.eu-north-1.amazoncognito.com",
  };
  const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const now = 1_800_000_000_000;
  const fetched: string[] = [];
  let tokenAnswer: { id_token: string; expires_in: number } | null = null;

  const sign = (claims: Record<string, unknown>, key: KeyObject = privateKey, kid = "k1") => {
    const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const body = `${part({ alg: "RS256", kid })}.${part(claims)}`;
    return `${body}.${createSign("RSA-SHA256").update(body).sign(key).toString("base64url")}`;
  };
  const valid = (over: Record<string, unknown> = {}) =>
    sign({ iss: issuer, aud: config.clientId, token_use: "id", exp: now / 1000 + 600, email: "analyst@police.lt", ...over });

  const deps: SignInDependencies = {
    config: async () => config,
    now: () => now,
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input);
      fetched.push(url);
      if (url.endsWith("/.well-known/jwks.json"))
        return Response.json({ keys: [{ ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "RS256", use: "sig" }] });
      if (url === `https://${config.domain}/oauth2/token`) {
        const form = new URLSearchParams(String(init?.body));
        if (form.get("code") !== "good-code" || form.get("code_verifier") !== "the-verifier") return new Response("bad", { status: 400 });
        return tokenAnswer ? Response.json(tokenAnswer) : new Response("bad", { status: 400 });
      }
      return new Response("not found", { status: 404 });
    }) as typeof fetch,
  };
  const request = (uri: string, cookie?: string, querystring = ""): CloudFrontRequest => ({
    clientIp: "192.0.2.1",
    method: "GET",
    uri,
    querystring,
    headers: { host: [{ key: "Host", value: "d111.cloudfront.net" }], ...(cookie ? { cookie: [{ key: "Cookie", value: cookie }] } : {}) },
  });
  const asResponse = (r: CloudFrontRequest | CloudFrontResultResponse) => r as CloudFrontResultResponse;

  beforeEach(() => {
    forgetSigningKeys();
    fetched.length = 0;
    tokenAnswer = null;
  });

  it("verifies signature, issuer, audience, token use and expiry", async () => {
    expect(await verifyIdToken(valid(), config, deps)).toMatchObject({ email: "analyst@police.lt" });
    expect(await verifyIdToken(sign({ iss: issuer, aud: config.clientId, token_use: "id", exp: now / 1000 + 600 }, other), config, deps)).toBeNull();
    expect(await verifyIdToken(valid({ iss: "https://cognito-idp.eu-north-1.amazonaws.com/eu-north-1_OTHER" }), config, deps)).toBeNull();
    expect(await verifyIdToken(valid({ aud: "another-client" }), config, deps)).toBeNull();
    expect(await verifyIdToken(valid({ token_use: "access" }), config, deps)).toBeNull();
    expect(await verifyIdToken(valid({ exp: now / 1000 - 1 }), config, deps)).toBeNull();
    expect(await verifyIdToken(sign({ iss: issuer }, privateKey, "unknown-kid"), config, deps)).toBeNull();
    expect(await verifyIdToken("not.a.token", config, deps)).toBeNull();
    expect(fetched.filter((u) => u.endsWith("jwks.json"))).toHaveLength(1); // keys cached
  });

  it("lets a signed-in request through, its clean URL rewritten", async () => {
    const passed = (await signInRequest(request("/hotspots", `other=1; hotspots_id=${valid()}`), deps)) as CloudFrontRequest;
    expect(passed.uri).toBe("/hotspots.html");
  });

  it("sends anyone else to Cognito's sign-in page with PKCE, remembering where they were going", async () => {
    for (const cookie of [undefined, `hotspots_id=${valid({ exp: now / 1000 - 5 })}`, "hotspots_id=forged.token.here"]) {
      const response = asResponse(await signInRequest(request("/hotspots", cookie, "month=2019-03"), deps));
      expect(response.status).toBe("302");
      const location = new URL(response.headers!.location![0]!.value);
      expect(location.origin + location.pathname).toBe(`https://${config.domain}/oauth2/authorize`);
      expect(Object.fromEntries(location.searchParams)).toMatchObject({
        response_type: "code",
        client_id: "client-1",
        redirect_uri: "https://d111.cloudfront.net/_auth/callback",
        code_challenge_method: "S256",
      });
      const cookies = response.headers!["set-cookie"]!.map((h) => h.value);
      expect(cookies).toEqual([
        expect.stringMatching(/^hotspots_pkce=[\w-]{40,}; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=600$/),
        expect.stringMatching(/^hotspots_state=/),
      ]);
      const state = location.searchParams.get("state")!;
      expect(Buffer.from(state.split(".")[1]!, "base64url").toString()).toBe("/hotspots?month=2019-03");
    }
  });

  it("the callback exchanges the code with the verifier, checks the token and sets it as a secure cookie", async () => {
    tokenAnswer = { id_token: valid(), expires_in: 3600 };
    const state = `abc.${Buffer.from("/hotspots").toString("base64url")}`;
    const response = asResponse(
      await signInRequest(request("/_auth/callback", `hotspots_pkce=the-verifier; hotspots_state=${state}`, `code=good-code&state=${state}`), deps),
    );
    expect(response.status).toBe("302");
    expect(response.headers!.location![0]!.value).toBe("/hotspots");
    expect(response.headers!["set-cookie"]![0]!.value).toMatch(/^hotspots_id=[\w-]+\.[\w-]+\.[\w-]+; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600$/);
  });

  it("the callback refuses a state mismatch, a refused code, a forged token and open redirects", async () => {
    const state = `abc.${Buffer.from("/hotspots").toString("base64url")}`;
    const cookies = `hotspots_pkce=the-verifier; hotspots_state=${state}`;
    expect(asResponse(await signInRequest(request("/_auth/callback", cookies, `code=good-code&state=other`), deps)).status).toBe("401");
    expect(asResponse(await signInRequest(request("/_auth/callback", cookies, `code=bad-code&state=${state}`), deps)).status).toBe("401");
    tokenAnswer = { id_token: sign({ iss: issuer, aud: config.clientId, token_use: "id", exp: now / 1000 + 600 }, other), expires_in: 3600 };
    expect(asResponse(await signInRequest(request("/_auth/callback", cookies, `code=good-code&state=${state}`), deps)).status).toBe("401");
    tokenAnswer = { id_token: valid(), expires_in: 3600 };
    const evil = `abc.${Buffer.from("//evil.example/").toString("base64url")}`;
    const response = asResponse(
      await signInRequest(request("/_auth/callback", `hotspots_pkce=the-verifier; hotspots_state=${evil}`, `code=good-code&state=${evil}`), deps),
    );
    expect(response.headers!.location![0]!.value).toBe("/");
  });

  it("signing out clears the cookie and ends the Cognito session", async () => {
    const response = asResponse(await signInRequest(request("/_auth/sign-out", `hotspots_id=${valid()}`), deps));
    expect(response.headers!.location![0]!.value).toBe(`https://${config.domain}/logout?client_id=client-1&logout_uri=https%3A%2F%2Fd111.cloudfront.net%2F`);
    expect(response.headers!["set-cookie"]![0]!.value).toMatch(/^hotspots_id=; .*Max-Age=0$/);
  });
});

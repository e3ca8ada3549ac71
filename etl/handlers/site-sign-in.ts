import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from "aws-lambda";

/** The Cognito app the dashboard signs in with (public identifiers only; no secret: PKCE). */
export interface SignInConfig {
  region: string;
  userPoolId: string;
  clientId: string;
  /** The Cognito domain, e.g. `hotspots-123456789012.auth.eu-north-1.amazoncognito.com`. */
  domain: string;
}

/** What sign-in needs from outside; the edge handler passes the real ones, tests their own. */
export interface SignInDependencies {
  config: () => Promise<SignInConfig>;
  fetch: typeof globalThis.fetch;
  now: () => number;
}

const ID_COOKIE = "hotspots_id";
const VERIFIER_COOKIE = "hotspots_pkce";
const STATE_COOKIE = "hotspots_state";
export const CALLBACK_PATH = "/_auth/callback";
export const SIGN_OUT_PATH = "/_auth/sign-out";

/**
 * CloudFront viewer-request logic of the Cognito mode: a request with a valid Cognito ID token in
 * its cookie passes (its clean URL rewritten to the page's `.html` key); any other is redirected to
 * Cognito's sign-in page (authorization code flow with PKCE, no client secret at the edge). The
 * callback exchanges the code, checks the token and sets it as an HttpOnly, Secure cookie. Tokens
 * are verified here: RS256 signature against the user pool's JWKS, issuer, audience, `token_use`
 * and expiry. Fails closed: any error yields a sign-in redirect or 401, never the content.
 */
export async function signInRequest(request: CloudFrontRequest, deps: SignInDependencies): Promise<CloudFrontRequest | CloudFrontResultResponse> {
  const config = await deps.config();
  const host = header(request.headers, "host");
  if (!host) return plain("400", "missing Host header");
  const cookies = parseCookies(header(request.headers, "cookie"));
  const redirectUri = `https://${host}${CALLBACK_PATH}`;

  if (request.uri === CALLBACK_PATH) {
    const query = new URLSearchParams(request.querystring);
    const code = query.get("code");
    const state = query.get("state");
    const verifier = cookies.get(VERIFIER_COOKIE);
    if (!code || !state || !verifier || state !== cookies.get(STATE_COOKIE)) return plain("401", "sign-in failed: state mismatch; open the dashboard again");
    const token = await exchangeCode(config, deps, code, verifier, redirectUri);
    const claims = token ? await verifyIdToken(token.idToken, config, deps) : null;
    if (!token || !claims) return plain("401", "sign-in failed: the token was refused");
    return redirect(returnPath(state), [cookie(ID_COOKIE, token.idToken, token.expiresIn), cookie(VERIFIER_COOKIE, "", 0), cookie(STATE_COOKIE, "", 0)]);
  }
  if (request.uri === SIGN_OUT_PATH) {
    const logout = `https://${config.domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: `https://${host}/` })}`;
    return redirect(logout, [cookie(ID_COOKIE, "", 0)]);
  }

  const idToken = cookies.get(ID_COOKIE);
  if (idToken && (await verifyIdToken(idToken, config, deps))) return { ...request, uri: cleanUrl(request.uri) };

  const verifier = base64url(randomBytes(32));
  const state = `${base64url(randomBytes(16))}.${base64url(Buffer.from(request.uri + (request.querystring ? `?${request.querystring}` : "")))}`;
  const authorize = `https://${config.domain}/oauth2/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: "openid email",
    state,
    code_challenge: base64url(createHash("sha256").update(verifier).digest()),
    code_challenge_method: "S256",
  })}`;
  return redirect(authorize, [cookie(VERIFIER_COOKIE, verifier, 600), cookie(STATE_COOKIE, state, 600)]);
}

/** The claims of a valid Cognito ID token for this app, or null. */
export async function verifyIdToken(token: string, config: SignInConfig, deps: SignInDependencies): Promise<Record<string, unknown> | null> {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8")) as { alg?: string; kid?: string };
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
    if (header.alg !== "RS256" || !header.kid) return null;
    const jwk = (await jwks(config, deps)).find((k) => k.kid === header.kid);
    if (!jwk) return null;
    const valid = verify(
      "RSA-SHA256",
      Buffer.from(`${parts[0]}.${parts[1]}`),
      createPublicKey({ key: jwk, format: "jwk" }),
      Buffer.from(parts[2]!, "base64url"),
    );
    const issuer = `https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}`;
    const nowSeconds = deps.now() / 1000;
    if (!valid || claims.iss !== issuer || claims.aud !== config.clientId || claims.token_use !== "id") return null;
    if (typeof claims.exp !== "number" || claims.exp <= nowSeconds) return null;
    return claims;
  } catch {
    return null;
  }
}

/** `/hotspots` → `/hotspots.html`, `/` → `/index.html` (S3 serves exact keys only). */
export function cleanUrl(uri: string): string {
  if (uri.endsWith("/")) return `${uri}index.html`;
  const last = uri.slice(uri.lastIndexOf("/") + 1);
  return /\.[a-zA-Z0-9]+$/.test(last) ? uri : `${uri}.html`;
}

let keys: { fetchedAt: number; keys: Array<JsonWebKey & { kid?: string }> } | null = null;

async function jwks(config: SignInConfig, deps: SignInDependencies): Promise<Array<JsonWebKey & { kid?: string }>> {
  if (keys && deps.now() - keys.fetchedAt < 3_600_000) return keys.keys;
  const response = await deps.fetch(`https://cognito-idp.${config.region}.amazonaws.com/${config.userPoolId}/.well-known/jwks.json`);
  if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
  keys = { fetchedAt: deps.now(), keys: ((await response.json()) as { keys: Array<JsonWebKey & { kid?: string }> }).keys };
  return keys.keys;
}

/** Forgets the cached signing keys (tests). */
export function forgetSigningKeys(): void {
  keys = null;
}

async function exchangeCode(config: SignInConfig, deps: SignInDependencies, code: string, verifier: string, redirectUri: string) {
  const response = await deps.fetch(`https://${config.domain}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: config.clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  if (!response.ok) return null;
  const body = (await response.json()) as { id_token?: string; expires_in?: number };
  return body.id_token ? { idToken: body.id_token, expiresIn: Math.min(body.expires_in ?? 3600, 12 * 3600) } : null;
}

/** The path the visitor first asked for, carried in `state`; only same-site paths are followed. */
function returnPath(state: string): string {
  try {
    const path = Buffer.from(state.split(".")[1] ?? "", "base64url").toString("utf8");
    return path.startsWith("/") && !path.startsWith("//") ? path : "/";
  } catch {
    return "/";
  }
}

function header(headers: CloudFrontHeaders, name: string): string | undefined {
  return headers[name]?.map((h) => h.value).join("; ");
}

function parseCookies(text: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (text ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
}

function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}`;
}

function redirect(location: string, cookies: string[]): CloudFrontResultResponse {
  return {
    status: "302",
    statusDescription: "Found",
    headers: {
      location: [{ key: "Location", value: location }],
      "cache-control": [{ key: "Cache-Control", value: "no-store" }],
      "set-cookie": cookies.map((value) => ({ key: "Set-Cookie", value })),
    },
  };
}

function plain(status: string, body: string): CloudFrontResultResponse {
  return {
    status,
    headers: { "content-type": [{ key: "Content-Type", value: "text/plain; charset=utf-8" }], "cache-control": [{ key: "Cache-Control", value: "no-store" }] },
    body,
  };
}

function base64url(bytes: Buffer): string {
  return bytes.toString("base64url");
}

// --- The Lambda@Edge entry point -------------------------------------------------------------
// Lambda@Edge has no environment variables: the bundler defines where the configuration is (an SSM
// parameter the stack writes in the data region), and the function reads it once per instance.
let cachedConfig: Promise<SignInConfig> | null = null;

async function configFromParameter(): Promise<SignInConfig> {
  const region = process.env.SIGN_IN_PARAMETER_REGION;
  const name = process.env.SIGN_IN_PARAMETER_NAME;
  if (!region || !name) throw new Error("the sign-in function was bundled without its parameter name");
  // The Lambda runtime provides the AWS SDK; a computed specifier keeps it out of the bundle.
  const specifier = "@aws-sdk/client-ssm";
  const ssm = (await import(specifier)) as {
    SSMClient: new (options: { region: string }) => { send(command: unknown): Promise<{ Parameter?: { Value?: string } }> };
    GetParameterCommand: new (input: { Name: string }) => unknown;
  };
  const result = await new ssm.SSMClient({ region }).send(new ssm.GetParameterCommand({ Name: name }));
  return JSON.parse(result.Parameter?.Value ?? "null") as SignInConfig;
}

/** Lambda@Edge viewer-request handler (Cognito mode). */
export async function handler(event: CloudFrontRequestEvent): Promise<CloudFrontRequest | CloudFrontResultResponse> {
  cachedConfig ??= configFromParameter().catch((error: unknown) => {
    cachedConfig = null;
    throw error;
  });
  try {
    return await signInRequest(event.Records[0]!.cf.request, { config: () => cachedConfig!, fetch: globalThis.fetch, now: Date.now });
  } catch (error) {
    console.error(JSON.stringify({ message: "sign-in failed", error: (error as Error).message }));
    return plain("503", "sign-in is unavailable; try again in a minute");
  }
}

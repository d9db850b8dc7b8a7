// A real OAuth 2.0 authorization server for the tests: oidc-provider (an OpenID-certified
// implementation) on 127.0.0.1 over TLS, with PKCE required, refresh-token rotation and token
// revocation (RFC 7009). A test user signs in and consents by herself, so a plain HTTP client that
// follows redirects plays the browser; login_hint=weigeren makes her refuse instead
// (error=access_denied).
//
// Started by tests/connectors/conftest.py. Reads its settings from the environment:
//   OIDC_TLS_KEY, OIDC_TLS_CERT  PEM files for the server certificate
//   OIDC_CLIENTS                 JSON list of client metadata (oidc-provider's format)
//   OIDC_SHORT_LIVED_CLIENT      a client_id whose access tokens live one second, so a test can
//                                meet a 401 while the refresh token still works
// Listens on a port the system chooses and prints one JSON line {"issuer": ..., "port": ...} on
// stdout when ready. GET /test/requests lists what clients sent to /auth, /token and
// /token/revocation, so the tests can check PKCE as it crossed the wire.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';

import Provider from 'oidc-provider';

const TEST_USER = 'juf-test';
const REFUSING_USER_HINT = 'weigeren';

const tls = {
  key: readFileSync(process.env.OIDC_TLS_KEY),
  cert: readFileSync(process.env.OIDC_TLS_CERT),
};
const clients = JSON.parse(process.env.OIDC_CLIENTS);
const shortLivedClient = process.env.OIDC_SHORT_LIVED_CLIENT;
const seen = [];

let handler = (_req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = createServer(tls, (req, res) => handler(req, res));

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `https://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks: { keys: [{ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
    },
    pkce: { required: () => true },
    rotateRefreshToken: true,
    clockTolerance: 0, // an expired token is expired at once (the one-second client relies on it)
    ttl: {
      // Only the first token of the short-lived client expires at once; a token from a refresh
      // lives an hour, so a busy test machine cannot make the retried request fail as well.
      AccessToken: (ctx, token, client) =>
        (client?.clientId ?? token?.clientId) === shortLivedClient &&
        ctx?.oidc?.params?.grant_type !== "refresh_token"
          ? 1
          : 3600,
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });

  provider.on('server_error', (_ctx, error) => console.error('server_error', error));
  provider.on('grant.error', (_ctx, error) => console.error('grant.error', error.error_description ?? error.message));

  provider.use(async (ctx, next) => {
    if (ctx.path === '/test/requests' && ctx.method === 'GET') {
      ctx.body = seen;
      return;
    }
    if (ctx.path.startsWith('/interaction/') && ctx.method === 'GET') {
      await signInTestUser(provider, ctx);
      return;
    }
    await next();
    if (['/auth', '/token', '/token/revocation'].includes(ctx.path) && ctx.oidc?.params) {
      seen.push({
        path: ctx.path,
        status: ctx.status,
        params: Object.fromEntries(Object.entries(ctx.oidc.params).filter(([, v]) => v !== undefined)),
        basic_auth: (ctx.get('authorization') || '').startsWith('Basic '),
      });
    }
  });

  handler = provider.callback();
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

// The interaction "page": logs the test user in and grants what the client asked for, at once.
async function signInTestUser(provider, ctx) {
  const interaction = await provider.interactionDetails(ctx.req, ctx.res);
  const { prompt, params, session } = interaction;
  let result;
  if (params.login_hint === REFUSING_USER_HINT) {
    result = { error: 'access_denied', error_description: 'End-User denied the request' };
  } else if (prompt.name === 'login') {
    result = { login: { accountId: TEST_USER } };
  } else {
    const grant = interaction.grantId
      ? await provider.Grant.find(interaction.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    result = { consent: { grantId: await grant.save() } };
  }
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
    mergeWithLastSubmission: false,
  });
  ctx.status = 303;
  ctx.redirect(returnTo);
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}

// A real Bluesky PDS for the tests: @atproto/pds (the reference Personal Data Server) with its own
// PLC directory (@did-plc/server on an in-memory database), both on 127.0.0.1 only. No AppView,
// no crawlers, no e-mail; accounts are created without invite codes under the handle domain .test.
//
// Started by tests/servers/pds_fixture.py. Reads its settings from the environment:
//   PDS_TEST_DIR        an empty folder for the SQLite databases and the blobs
//   PDS_JWT_SECRET      the secret the PDS signs its session tokens with (the tests mint an
//                       expired token with it)
//   PDS_ADMIN_PASSWORD  the admin password
//   PDS_RATE_LIMITS     "true" turns the PDS's own rate limits on (createSession: 30 per 5 minutes
//                       per identifier), so a test can meet a real 429
//   PDS_BSKY_APP_VIEW_URL, PDS_BSKY_APP_VIEW_DID
//                       optional: an AppView on loopback that the PDS passes app.bsky.* calls
//                       on to (tests/servers/bluesky_appview.py); the PDS's SSRF guard, which
//                       refuses plain http and loopback, is off for that one case only
// Prints one JSON line {"pds": ..., "plc": ...} on stdout when both answer.
'use strict';

const { randomBytes } = require('node:crypto');
const { createServer } = require('node:http');
const path = require('node:path');

const plc = require('@did-plc/server');
const pds = require('@atproto/pds');
const { version: pdsVersion } = require('@atproto/pds/package.json');

const HOST = '127.0.0.1';

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

// Our own listeners, bound to loopback (the packages' start() would listen on every interface);
// the port is known before the PDS is configured, because its public URL contains it.
async function loopbackServer() {
  let handler = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  return {
    server,
    url: `http://${HOST}:${server.address().port}`,
    port: server.address().port,
    serve: (app) => {
      handler = app;
    },
  };
}

async function main() {
  const folder = required('PDS_TEST_DIR');

  const plcListener = await loopbackServer();
  const plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: plcListener.port });
  plcListener.serve(plcServer.app);

  const pdsListener = await loopbackServer();
  const appViewUrl = process.env.PDS_BSKY_APP_VIEW_URL || undefined;
  const cfg = pds.envToCfg({
    port: pdsListener.port,
    hostname: 'localhost',
    version: pdsVersion,
    devMode: true, // allows a plain-http public URL
    dataDirectory: folder,
    blobstoreDiskLocation: path.join(folder, 'blobs'),
    didPlcUrl: plcListener.url,
    serviceHandleDomains: ['.test'],
    inviteRequired: false,
    enableDidDocWithSession: true, // as bsky.social: the session names the account's own PDS
    rateLimitsEnabled: process.env.PDS_RATE_LIMITS === 'true',
    crawlers: [],
    disableSsrfProtection: Boolean(appViewUrl),
    bskyAppViewUrl: appViewUrl,
    bskyAppViewDid: appViewUrl ? required('PDS_BSKY_APP_VIEW_DID') : undefined,
  });
  cfg.service.publicUrl = pdsListener.url;
  if (cfg.oauth) {
    cfg.oauth.issuer = pdsListener.url;
  }
  const secrets = pds.envToSecrets({
    jwtSecret: required('PDS_JWT_SECRET'),
    adminPassword: required('PDS_ADMIN_PASSWORD'),
    dpopSecret: randomBytes(32).toString('hex'),
    plcRotationKeyK256PrivateKeyHex: randomBytes(32).toString('hex'),
  });
  const server = await pds.PDS.create(cfg, secrets);
  await server.ctx.sequencer.start();
  pdsListener.serve(server.app);

  const stop = () => {
    plcListener.server.close();
    pdsListener.server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  process.stdout.write(`${JSON.stringify({ pds: pdsListener.url, plc: plcListener.url })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

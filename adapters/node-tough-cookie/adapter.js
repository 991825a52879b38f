#!/usr/bin/env node
// cookie-adapter/1 server (../PROTOCOL.md) for tough-cookie, in one of two configurations:
//
// - `--mode got` (the default; target `node-tough-cookie`): tough-cookie as got drives it, the
//   most used Node client with a cookie jar (`cookieJar` option) and what users of a default
//   `new CookieJar()` get: every Set-Cookie field of a response goes to
//   `jar.setCookie(field, url.toString())`, all at once (`Promise.all`, got's
//   source/core/index.ts; a rejected cookie fails the request but the others are stored), and
//   a request's Cookie header is `await jar.getCookieString(url.toString())`, sent when not
//   empty; the request a response answers made that call too, before. No `sameSiteContext` (got passes none), no script API. A response whose header holds
//   a control character other than HTAB never reaches the jar: Node's HTTP parser (llhttp)
//   refuses it (HPE_INVALID_HEADER_TOKEN; checked on Node 20), so such cases are `unsupported`.
// - `--mode api` (target `node-tough-cookie-api`): the library's API alone, no single embedder:
//   jsdom's jar and HTTP path (`looseMode: true`; for a response, the request's
//   `getCookieStringSync(url)` and then `setCookieSync(line, url, {ignoreError: true})` per
//   Set-Cookie line, in order; `http: false` for document.cookie) plus what jsdom does not pass,
//   `sameSiteContext` from the request's context (as Cypress's server-side jar passes it):
//   `setCookieSync(line, url, {http, sameSiteContext, ignoreError: true, now})` and
//   `getCookieStringSync(url, {http, sameSiteContext})`. A response holding a control character
//   is refused as Node's parsers (node:http's and undici's llhttp) refuse it.
//
// Header bytes are ISO-8859-1 ("latin1"), as Node's HTTP parser reads and writes them.
'use strict';

// The virtual clock. tough-cookie takes `now` for setCookie, but retrieval reads `Date.now()`
// and `new Date()` (expiry checks, lastAccessed, which Max-Age is measured from). So while an
// operation runs (synchronously), the global Date answers the operation's `now`. No library
// code is changed. Installed before tough-cookie is loaded, so every Date it makes is ours.
const RealDate = Date;
let virtualMs = null;
class VirtualDate extends RealDate {
  constructor(...args) {
    if (args.length === 0 && virtualMs !== null) super(virtualMs);
    else super(...args);
  }
  static now() {
    return virtualMs !== null ? virtualMs : RealDate.now();
  }
}
globalThis.Date = VirtualDate;

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { CookieJar } = require('tough-cookie');

const PROTOCOL = 'cookie-adapter/1';
const PROFILES = ['rfc6265', 'rfc6265bis'];
const pkgVersion = (name) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', name, 'package.json'), 'utf8')).version;
const TOUGH = pkgVersion('tough-cookie');
const TLDTS = pkgVersion('tldts');
const modeArg = process.argv.indexOf('--mode');
const MODE = modeArg >= 0 ? process.argv[modeArg + 1] : 'got';
if (MODE !== 'got' && MODE !== 'api') {
  process.stderr.write(`unknown --mode ${MODE} (got, api)\n`);
  process.exit(2);
}

class AdapterError extends Error {
  constructor(status, kind, message) {
    super(message);
    this.status = status;
    this.kind = kind;
  }
}
const bad = (m) => new AdapterError(400, 'bad_request', m);
const unsupported = (m) => new AdapterError(422, 'unsupported', m);

const b64 = (s) => Buffer.from(s, 'latin1').toString('base64');
function unb64(s) {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw bad('bad base64');
  return Buffer.from(s, 'base64').toString('latin1');
}

function urlOf(op) {
  if (typeof op.url !== 'string') throw bad('field `url` missing or not a string');
  try {
    new URL(op.url);
  } catch (e) {
    throw unsupported(`the WHATWG URL parser rejects the URL: ${e.message}`);
  }
  return op.url;
}

// Maps the protocol's context to tough-cookie's coarse `sameSiteContext` (§5.2, §5.7 step 18,
// §5.8.3 step 3), using the runner's same-site verdict rather than recomputing sites.
function optionsOf(op, forSet) {
  const ctx = op.context ?? {};
  if (typeof ctx !== 'object') throw bad('`context` is not an object');
  const script = (ctx.api ?? 'http') === 'script';
  const safe = ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(ctx.method ?? 'GET');
  let sameSiteContext = 'none';
  if (ctx.same_site ?? true) sameSiteContext = 'strict';
  else if (!script && ctx.top_level_navigation && (forSet || safe)) sameSiteContext = 'lax';
  return { http: !script, sameSiteContext };
}

function sameSiteName(s) {
  return ['none', 'strict', 'lax'].includes(s) ? s : 'default';
}

// Octets Node's HTTP parser refuses in a header value: controls other than HTAB, and DEL.
const REFUSED = /[\x00-\x08\x0a-\x1f\x7f]/;

class Session {
  constructor() {
    this.reset({}); // the rfc6265bis profile's defaults until the runner resets it
  }

  reset(op) {
    const profile = op.profile ?? 'rfc6265bis';
    if (!PROFILES.includes(profile)) throw unsupported(`profile ${profile} not supported`);
    const config = op.config ?? {};
    if (config.chips) throw unsupported('tough-cookie has no CHIPS (Partitioned)');
    if ((config.third_party ?? 'allow') !== 'allow') throw unsupported('tough-cookie has no third-party cookie policy');
    if (MODE === 'got') {
      this.jar = new CookieJar(); // what `cookieJar: new CookieJar()` gives a got user
      return {};
    }
    const bis = profile !== 'rfc6265';
    this.jar = new CookieJar(undefined, {
      rejectPublicSuffixes: config.reject_public_suffixes ?? true,
      allowSecureOnLocal: config.trust_localhost ?? true,
      looseMode: bis, // nameless cookies (`=v`, `v`) exist in 6265bis, not in 6265
      prefixSecurity: bis ? 'silent' : 'unsafe-disabled', // 6265 has no cookie prefixes
      enforceSecureOriginOnStorage: bis, // 6265bis §5.7 step 13; 6265 had no such rule
    });
    return {};
  }

  async set(op) {
    const url = urlOf(op);
    if (!Array.isArray(op.set_cookie)) throw bad('field `set_cookie` missing or not a list');
    const lines = op.set_cookie.map(unb64);
    if (MODE === 'got') {
      gotContext(op);
      refuseControls(lines, "Node's HTTP parser refuses", 'got');
      const href = new URL(url).toString();
      // The request this response answers went out with got's `getCookieString` first, which
      // also drops the expired cookies it meets.
      await gotCookieHeader(this.jar, href);
      await Promise.all(lines.map((line) => this.jar.setCookie(line, href).catch(() => undefined)));
      return {};
    }
    const options = { ...optionsOf(op, true), ignoreError: true, now: new Date() };
    if (options.http) {
      refuseControls(lines, "Node's HTTP parsers (node:http's and undici's llhttp, jsdom's client) refuse");
      // The request this response answers went out with the jar's Cookie header first (jsdom's
      // JSDOMDispatcher, like every client of the jar): that call refreshes `lastAccessed` of
      // the cookies it returns (Max-Age counts from it) and drops the expired cookies it meets
      // (a cookie set again after that is new, not a replacement keeping the old creation time).
      apiCookieHeader(this.jar, url, optionsOf(op, false));
    }
    for (const line of lines) this.jar.setCookieSync(line, url, options);
    return {};
  }

  async get(op) {
    const url = urlOf(op);
    if (MODE === 'got') {
      gotContext(op);
      const header = await gotCookieHeader(this.jar, new URL(url).toString());
      return { cookie: header ? b64(header) : null };
    }
    const options = optionsOf(op, false);
    const header = options.http ? apiCookieHeader(this.jar, url, options) : this.jar.getCookieStringSync(url, options);
    return { cookie: header ? b64(header) : null };
  }

  dump() {
    let all = null;
    this.jar.store.getAllCookies((err, cookies) => {
      if (err) throw err;
      all = cookies;
    });
    if (all === null) throw new Error('the cookie store is not synchronous');
    const now = Date.now();
    const cookies = all
      // The same expiry test getCookies applies before returning cookies.
      .filter((c) => !(c.expiryTime() !== undefined && c.expiryTime() <= now))
      .map((c) => {
        const expiry = c.expiryTime();
        const persistent = c.isPersistent();
        return {
          name: b64(c.key),
          value: b64(c.value),
          domain: c.domain === null ? null : c.domain.toLowerCase().replace(/^\./, ''),
          path: c.path === null ? null : b64(c.path),
          host_only: c.hostOnly ?? null,
          secure: !!c.secure,
          http_only: !!c.httpOnly,
          same_site: sameSiteName(c.sameSite),
          persistent,
          expires: persistent && Number.isFinite(expiry) ? Math.floor(expiry / 1000) : null,
          partition_key: null,
        };
      });
    return { cookies };
  }
}

// A response whose Set-Cookie holds a control character never reaches the jar: the client's
// HTTP parser refuses the whole response.
function refuseControls(lines, parser, client = 'the client') {
  const refused = lines.find((l) => REFUSED.test(l));
  if (refused !== undefined) {
    const code = refused.charCodeAt(refused.search(REFUSED)).toString(16).padStart(2, '0');
    throw unsupported(`${parser} a response whose Set-Cookie holds 0x${code} (HPE_INVALID_HEADER_TOKEN): ${client} never hands it to the jar`);
  }
}

// The Cookie header an HTTP client of the API computes for a request (api mode). When the jar
// throws there, the client's request fails before it is sent (jsdom's navigation rejects): no
// user meets a verdict for that request, so the case is unsupported.
function apiCookieHeader(jar, url, options) {
  try {
    return jar.getCookieStringSync(url, options);
  } catch (e) {
    throw unsupported(`the request fails before it is sent: getCookieStringSync throws ${e.message}`);
  }
}

// The Cookie header got computes for a request. When the jar throws there (tough-cookie refuses
// the special-use suffix `example` as a host), got's request fails before it is sent: no user
// of got meets a verdict for that request, so the case is unsupported.
async function gotCookieHeader(jar, href) {
  try {
    return await jar.getCookieString(href);
  } catch (e) {
    throw unsupported(`got's request fails before it is sent: getCookieString throws ${e.message}`);
  }
}

// got makes HTTP(S) requests with no notion of a site for cookies or of a script API.
function gotContext(op) {
  const ctx = op.context ?? {};
  if (typeof ctx !== 'object') throw bad('`context` is not an object');
  if ((ctx.api ?? 'http') !== 'http') throw unsupported('got has no non-HTTP (script) API');
  const scheme = new URL(op.url).protocol;
  if (scheme !== 'http:' && scheme !== 'https:') throw unsupported(`got requests http and https URLs only, not ${scheme}`);
}

const OPS = { reset: 'reset', set: 'set', get: 'get', dump: 'dump' };
const sessions = new Map();
let nextId = 0;

let queue = Promise.resolve();

// One operation at a time, across sessions: the Date shim is process-wide and got-mode
// operations await the library's promises.
function runOp(session, name, op) {
  const run = async () => {
    if (op === null || typeof op !== 'object' || Array.isArray(op)) throw bad('operation is not an object');
    if (!Object.hasOwn(OPS, name)) throw new AdapterError(404, 'not_found', `no operation \`${name}\``);
    if (op.now !== undefined && !Number.isInteger(op.now)) throw bad('`now` is not an integer');
    virtualMs = op.now === undefined ? null : op.now * 1000;
    try {
      return await session[OPS[name]](op);
    } finally {
      virtualMs = null;
    }
  };
  const result = queue.then(run);
  queue = result.catch(() => undefined);
  return result;
}

function errorObject(e) {
  if (e instanceof AdapterError) return { error: e.message, kind: e.kind };
  return { error: `${e && e.name}: ${e && e.message}`, kind: 'internal' };
}

async function runBatch(session, body) {
  if (!Array.isArray(body.ops)) throw bad('field `ops` missing or not a list');
  const results = [];
  for (const op of body.ops) {
    try {
      results.push(await runOp(session, op && op.op, op));
    } catch (e) {
      results.push(errorObject(e));
      break;
    }
  }
  return { results };
}

function info() {
  const got = MODE === 'got';
  return {
    protocol: PROTOCOL,
    name: got ? 'node-tough-cookie' : 'node-tough-cookie-api',
    library: 'tough-cookie',
    version: TOUGH,
    runtime: `Node.js ${process.version}, tldts ${TLDTS}`,
    configuration: got
      ? "got with a default tough-cookie CookieJar: new CookieJar(), setCookie(field, url) for each " +
        "Set-Cookie of a response (all at once), getCookieString(url) for a request; no sameSiteContext; " +
        "responses Node's HTTP parser refuses are unsupported; virtual clock through the global Date"
      : "the CookieJar API alone (no single embedder): jsdom's looseMode jar and HTTP path (getCookieStringSync " +
        'for the request, then setCookieSync per Set-Cookie line; http:false for document.cookie) plus ' +
        'sameSiteContext from the context, which jsdom does not pass; CookieJar(MemoryCookieStore, {looseMode, ' +
        'rejectPublicSuffixes, allowSecureOnLocal, prefixSecurity, enforceSecureOriginOnStorage}) per profile and ' +
        "config; responses Node's HTTP parsers refuse are unsupported; virtual clock through the global Date",
    parallel: false,
    capabilities: {
      virtual_clock: true,
      script_api: !got,
      same_site_contexts: !got,
      partitioned: false,
      third_party_policies: ['allow'],
      profiles: PROFILES,
      configurable: got ? [] : ['reject_public_suffixes', 'trust_localhost'],
      storage_dump: true,
      public_suffix_list: `tldts ${TLDTS} (tough-cookie's dependency)`,
    },
  };
}

function route(method, parts, body) {
  if (method === 'GET' && parts.length === 1 && parts[0] === 'info') return info();
  if (method === 'POST' && parts.length === 1 && parts[0] === 'sessions') {
    const id = String(++nextId);
    sessions.set(id, new Session());
    return { id };
  }
  if (parts.length >= 2 && parts[0] === 'sessions') {
    const session = sessions.get(parts[1]);
    if (!session) throw new AdapterError(404, 'not_found', `no session ${parts[1]}`);
    if (method === 'DELETE' && parts.length === 2) {
      sessions.delete(parts[1]);
      return {};
    }
    if (method === 'POST' && parts.length === 3) {
      return parts[2] === 'batch' ? runBatch(session, body) : runOp(session, parts[2], body);
    }
  }
  throw new AdapterError(404, 'not_found', `no endpoint ${method} /${parts.join('/')}`);
}

function answer(res, status, obj) {
  const data = Buffer.from(JSON.stringify(obj));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': data.length });
  res.end(data);
}

const server = http.createServer({ noDelay: true, maxHeaderSize: 65536 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body;
      try {
        body = raw.trim() ? JSON.parse(raw) : {};
      } catch (e) {
        throw bad(`invalid JSON: ${e.message}`);
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('body is not an object');
      const parts = req.url.split('?')[0].replace(/^\/+|\/+$/g, '').split('/');
      if (req.method === 'POST' && parts.length === 1 && parts[0] === 'shutdown') {
        res.on('finish', () => process.exit(0));
        return answer(res, 200, {});
      }
      answer(res, 200, await route(req.method, parts, body));
    } catch (e) {
      answer(res, e instanceof AdapterError ? e.status : 500, errorObject(e));
    }
  });
});
server.keepAliveTimeout = 0; // keep idle runner connections open
server.requestTimeout = 0;

const portArg = process.argv.indexOf('--port');
const port = portArg >= 0 ? Number(process.argv[portArg + 1]) : 0;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));

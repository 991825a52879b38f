// The real client for the fidelity check of the node-tough-cookie-api adapter
// (`cookie-conformance fidelity --target node-tough-cookie-api`): jsdom (29.1.1, the last release
// for Node 20) navigating with `JSDOM.fromURL(url, {cookieJar})` and jsdom's own `CookieJar`
// (tough-cookie 6.1.0 with `looseMode: true`), over real sockets to the runner's loopback server.
// jsdom's fetch code (JSDOMDispatcher) makes the cookie calls: `getCookieStringSync(url)` for the
// request, then `setCookieSync(line, url, {ignoreError: true})` for each Set-Cookie field of the
// response, in order, as undici's HTTP parser delivers them (latin1 strings).
//
// Every host reaches the loopback server through the one hook jsdom offers below its cookie
// handling, `resources.dispatcher`: an undici Agent (the kind jsdom uses by default, undici's
// global dispatcher) whose connector is undici's own, pointed at 127.0.0.1 and the port for the
// URL's scheme, while the request, its Host header, the TLS server name and the jar keep the
// URL's host. Certificates are not verified (the server's is self-signed). A new Agent per fetch,
// closed after it: no connection outlives the fetch's virtual time.
//
// The clock: tough-cookie reads Date.now() and new Date(); as in the adapter, the global Date
// answers the fetch's `now` while a fetch runs.
//
// Protocol (cli/src/live/driven.rs): one JSON object per line on stdin, one answer per line.
//   {"op":"reset"}                                      -> {"ok":true,"virtual_clock":true}
//   {"op":"fetch","url":U,"method":M,"http_port":P,"https_port":Q,"now":T}
//                                                       -> {"ok":true} or {"error":E,"kind":K}
// K is "unsupported" when jsdom never sends the request (a URL it cannot fetch, the jar throwing
// while jsdom builds the request) or undici's parser refuses the response (a control character
// in a Set-Cookie field): then no cookie reaches the jar.

import { createRequire } from 'node:module';
import readline from 'node:readline';

const RealDate = Date;
let virtualMs = null;
globalThis.Date = class extends RealDate {
  constructor(...args) {
    if (args.length === 0 && virtualMs !== null) super(virtualMs);
    else super(...args);
  }
  static now() {
    return virtualMs !== null ? virtualMs : RealDate.now();
  }
};

// The packages are installed once for both tough-cookie targets, in ../node-tough-cookie.
const require = createRequire(new URL('../node-tough-cookie/package.json', import.meta.url));
const { JSDOM, CookieJar } = require('jsdom');
const { Agent, buildConnector } = require('undici');

const ports = { http: 0, https: 0 };
let connections = 0;
const connector = buildConnector({ rejectUnauthorized: false });
// undici's connector with only the address changed: `host` (and so the TLS server name undici
// derives from it) stays the URL's.
function loopbackConnect(options, callback) {
  connections += 1;
  const port = options.protocol === 'https:' ? ports.https : ports.http;
  return connector({ ...options, hostname: '127.0.0.1', port }, callback);
}

let jar = new CookieJar();

function errorCode(e) {
  for (let x = e; x; x = x.cause) if (x.code) return String(x.code);
  return '';
}

function errorName(e) {
  for (let x = e; x; x = x.cause) if (x.name === 'HTTPParserError') return x.name;
  return e.name;
}

async function fetch(op) {
  ports.http = op.http_port;
  ports.https = op.https_port;
  let url;
  try {
    url = new URL(op.url);
  } catch (e) {
    return { error: `the WHATWG URL parser rejects the URL: ${e.message}`, kind: 'unsupported' };
  }
  if (url.protocol === 'ws:' || url.protocol === 'wss:') {
    // jsdom's WebSocket goes through the same JSDOMDispatcher and jar, but it stores the
    // handshake's cookies only from a 101 answer, which the runner's loopback server never gives.
    return { error: `jsdom fetches ${url.protocol} URLs only as a WebSocket handshake, which the runner's loopback server does not answer`, kind: 'unsupported' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `JSDOM.fromURL navigates to http and https URLs only, not ${url.protocol}`, kind: 'unsupported' };
  }
  if ((op.method || 'GET') !== 'GET') {
    return { error: `JSDOM.fromURL navigates with GET only, not ${op.method}`, kind: 'unsupported' };
  }
  const dispatcher = new Agent({ connect: loopbackConnect });
  connections = 0;
  virtualMs = op.now === undefined || op.now === null ? null : op.now * 1000;
  try {
    // A jsdom user's navigation: the jar, the dispatcher, nothing else (no subresources; the
    // page has none).
    const dom = await JSDOM.fromURL(op.url, { cookieJar: jar, resources: { dispatcher } });
    dom.window.close();
    return { ok: true };
  } catch (e) {
    const code = errorCode(e);
    // undici's llhttp refusing the head (a control character in a field value: "Invalid header
    // value char"). Once it has read a Content-Length, undici reports that parse error as a
    // body length mismatch (createError in undici's client-h1.js); the server's lengths are
    // always right, so that code means the same refusal here.
    if (code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || errorName(e) === 'HTTPParserError') {
      const how = code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' ? 'reported as a Content-Length mismatch' : e.message;
      return { error: `undici's HTTP parser refuses the response (a control character in a field value; ${how}): no cookie reaches the jar`, kind: 'unsupported' };
    }
    // JSDOMDispatcher calls getCookieStringSync before it connects; when the jar throws there,
    // the request is never sent and the navigation fails with that error.
    if (connections === 0) {
      return { error: `jsdom's request fails before it is sent: ${e.message}`, kind: 'unsupported' };
    }
    return { error: `${e.name}: ${e.message} (${code})`, kind: 'failed' };
  } finally {
    virtualMs = null;
    await dispatcher.destroy();
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const op = JSON.parse(line);
  let answer;
  if (op.op === 'reset') {
    jar = new CookieJar(); // jsdom's CookieJar: tough-cookie's with looseMode: true
    answer = { ok: true, virtual_clock: true };
  } else if (op.op === 'fetch') {
    answer = await fetch(op);
  } else {
    answer = { error: `unknown op ${op.op}`, kind: 'failed' };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}

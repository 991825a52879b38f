// The real client the node-tough-cookie adapter models, for the fidelity check
// (`cookie-conformance fidelity --target node-tough-cookie`): got (14.6.6) with a default
// tough-cookie `new CookieJar()` as its `cookieJar`, fetching each URL over a real socket from the
// runner's loopback server, so that Node's HTTP parser delivers the Set-Cookie bytes and got's
// own cookie handling (setCookie for each Set-Cookie, getCookieString for the request) runs.
//
// Every host reaches the loopback server: the agents connect to 127.0.0.1 (the port for the URL's
// scheme) while the request, its Host header, the TLS server name and the jar keep the URL's
// host. Certificates are not verified (the server's is self-signed). The clock: tough-cookie
// reads Date.now() and new Date(); as in the adapter, the global Date answers the fetch's `now`
// while a fetch runs.
//
// Protocol: one JSON object per line on stdin, one answer per line on stdout.
//   {"op":"reset"}                                      -> {"ok":true,"virtual_clock":true}
//   {"op":"fetch","url":U,"method":M,"http_port":P,"https_port":Q,"now":T}
//                                                       -> {"ok":true} or {"error":E,"kind":K}
// K is "unsupported" when got refuses the request (a URL it cannot fetch) or Node's parser the
// response (HPE_* errors): then no cookie reaches the jar.

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

const http = await import('node:http');
const https = await import('node:https');
const net = await import('node:net');
const tls = await import('node:tls');
const readline = await import('node:readline');
const { default: got } = await import('got');
const { CookieJar } = await import('tough-cookie');

const ports = { http: 0, https: 0 };

class LoopbackHttpAgent extends http.Agent {
  createConnection(options, callback) {
    return net.connect({ host: '127.0.0.1', port: ports.http }, callback);
  }
}

class LoopbackHttpsAgent extends https.Agent {
  createConnection(options, callback) {
    return tls.connect({ host: '127.0.0.1', port: ports.https, servername: options.servername || options.host, rejectUnauthorized: false }, callback);
  }
}

let jar = new CookieJar();
const agent = { http: new LoopbackHttpAgent({ keepAlive: false }), https: new LoopbackHttpsAgent({ keepAlive: false }) };

async function fetch(op) {
  ports.http = op.http_port;
  ports.https = op.https_port;
  let url;
  try {
    url = new URL(op.url);
  } catch (e) {
    return { error: `the WHATWG URL parser rejects the URL: ${e.message}`, kind: 'unsupported' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { error: `got requests http and https URLs only, not ${url.protocol}`, kind: 'unsupported' };
  }
  virtualMs = op.now === undefined || op.now === null ? null : op.now * 1000;
  try {
    // A got user's request: the jar, no other cookie option. Retries and redirects off (the
    // server answers 200 once).
    await got(url, { method: op.method || 'GET', cookieJar: jar, agent, retry: { limit: 0 }, followRedirect: false, https: { rejectUnauthorized: false } });
    return { ok: true };
  } catch (e) {
    const code = e.code || (e.cause && e.cause.code) || '';
    if (String(code).startsWith('HPE_')) {
      return { error: `Node's HTTP parser refuses the response (${code}): ${e.message}`, kind: 'unsupported' };
    }
    // got fails a request when the jar rejects one of its cookies (ignoreInvalidCookies is off;
    // got wraps tough-cookie's plain Error as ERR_GOT_REQUEST_ERROR): the others are stored, and
    // that is the case's answer.
    // The jar throwing while got builds the request (getCookieString): the request is never
    // sent, and the user gets that error.
    if (!e.response && (code === 'ERR_GOT_REQUEST_ERROR' || code === 'ERR_INVALID_URL')) {
      return { error: `got's request fails before it is sent: ${e.message}`, kind: 'unsupported' };
    }
    // A URL error here comes from inside the jar (the request URL parsed above): the same.
    if (code === 'ERR_GOT_REQUEST_ERROR' || code === 'ERR_INVALID_URL') return { ok: true };
    return { error: `${e.name}: ${e.message} (${code})`, kind: 'failed' };
  } finally {
    virtualMs = null;
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const op = JSON.parse(line);
  let answer;
  if (op.op === 'reset') {
    jar = new CookieJar();
    answer = { ok: true, virtual_clock: true };
  } else if (op.op === 'fetch') {
    answer = await fetch(op);
  } else {
    answer = { error: `unknown op ${op.op}`, kind: 'failed' };
  }
  process.stdout.write(JSON.stringify(answer) + '\n');
}

#!/usr/bin/env node
// jipc interop: ONE scriptable node-ipc peer (server or client) driven by JSON lines.
//
//   node peer.js --lib=9|achrinza-10|14 --role=server|client --transport=unix|tcp|tls|udp4|udp6
//                (--path=/abs/file.sock | --host=127.0.0.1 --port=N)
//                [--key=PEM --cert=PEM --ca=PEM[,PEM] --request-cert[=true|false]
//                 --reject-unauthorized=true|false]                                  (tls)
//                [--local-host=ADDR] --local-port=N                                  (udp client)
//                [--id=NAME] [--echo] [--retry=MS] [--max-retries=N] [--raw] [--encoding=ENC]
//                [--delimiter=STR] [--sync] [--max-seconds=N] [--peers-dir=DIR]
//                [--reply-delay=MS] [--timestamps]
//
// --reply-delay=MS (stream server / client, with --echo): each echo is written MS ms after the
//   message (or raw chunk) arrived, and then reported as {"event":"replied","type","repr"|"hex",
//   "socket"(server)} - printed right after the write, so it precedes any message the peer sends
//   in answer to it. Without this option nothing changes (no "replied" events, echo at once).
// --timestamps: every event gets "t" = ms since the peer started (fractional, monotonic clock).
//
// The node-ipc packages are loaded from --peers-dir (default: env JIPC_PEERS_DIR), the directory
// printed by install.sh, which holds node_modules/{node-ipc-9,achrinza-10,node-ipc-14}.
//
// stdout: one JSON object per line (events), stdin: one JSON command per line.
// See README.md in this folder for the full protocol.
'use strict';

const fs = require('fs');
const path = require('path');
const readline = require('readline');
const { createRequire } = require('module');
const { pathToFileURL } = require('url');

const LIBS = {
  '9': { alias: 'node-ipc-9', want: 'node-ipc@9.2.1', kind: 'cjs-singleton' },
  'achrinza-10': { alias: 'achrinza-10', want: '@achrinza/node-ipc@10.1.11', kind: 'cjs-module' },
  '14': { alias: 'node-ipc-14', want: 'node-ipc@14.0.0', kind: 'esm' },
};

// ---------------------------------------------------------------------------------------------
// output

let timestamps = false; // --timestamps
const t0 = process.hrtime.bigint();
function stamp(obj) {
  if (!timestamps || !obj || typeof obj !== 'object') return obj;
  return Object.assign({}, obj, { t: Number(process.hrtime.bigint() - t0) / 1e6 });
}

function out(obj) {
  // Pipes and files are written synchronously by Node on POSIX, so each line is flushed at once.
  process.stdout.write(JSON.stringify(stamp(obj)) + '\n');
}

function repr(d) {
  if (d === undefined) return 'undefined';
  if (typeof d === 'number' && Number.isNaN(d)) return 'NaN';
  if (Object.is(d, -0)) return '-0';
  if (typeof d === 'bigint') return d.toString() + 'n';
  try { return JSON.stringify(d); } catch (e) { return `<unserialisable: ${e.message}>`; }
}

function errInfo(e) {
  const o = { message: e && e.message !== undefined ? String(e.message) : String(e) };
  if (e && e.code !== undefined) o.code = String(e.code);
  if (e && typeof e === 'object' && 'response' in e) o.response = repr(e.response);
  return o;
}

let exiting = false;
function exit(code, lastEvent) {
  if (exiting) return;
  exiting = true;
  const line = lastEvent ? JSON.stringify(stamp(lastEvent)) + '\n' : '';
  process.stdout.write(line, () => process.exit(code));
  setTimeout(() => process.exit(code), 2000).unref();
}

// ---------------------------------------------------------------------------------------------
// arguments

function parseArgs(argv) {
  const a = {};
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=([\s\S]*))?$/.exec(arg);
    if (!m) throw new Error(`bad argument: ${arg}`);
    a[m[1]] = m[2] === undefined ? true : m[2];
  }
  return a;
}

// Accepts JS-style escapes so that control characters can be passed on a command line:
// \f \n \r \t \b \v \0 \\ \xHH \uHHHH \u{H...}
function unescape(s) {
  return String(s).replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[fnrtbv0\\])/g, (_, e) => {
    switch (e[0]) {
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'b': return '\b';
      case 'v': return '\v';
      case '0': return '\0';
      case '\\': return '\\';
      case 'x': return String.fromCharCode(parseInt(e.slice(1), 16));
      default:
        return e[1] === '{' ? String.fromCodePoint(parseInt(e.slice(2, -1), 16))
          : String.fromCharCode(parseInt(e.slice(1), 16));
    }
  });
}

function boolArg(a, name, dflt) {
  const v = a[name];
  if (v === undefined) return dflt;
  if (v === true || v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`--${name} must be true or false`);
}

function intArg(a, name, dflt) {
  if (a[name] === undefined) return dflt;
  const n = Number(a[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// loading the library

async function loadIpc(lib, peersDir) {
  const spec = LIBS[lib];
  if (!spec) throw new Error(`--lib must be one of ${Object.keys(LIBS).join(', ')}`);
  if (!peersDir) throw new Error('no --peers-dir and no JIPC_PEERS_DIR: run interop/install.sh first');
  const root = path.resolve(peersDir);
  const req = createRequire(path.join(root, 'package.json'));
  // read package.json from disk: packages with an "exports" map do not export it
  const pj = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', spec.alias, 'package.json'), 'utf8'));
  if (`${pj.name}@${pj.version}` !== spec.want) {
    throw new Error(`${spec.alias} is ${pj.name}@${pj.version}, expected ${spec.want}`);
  }
  let ipc;
  if (spec.kind === 'esm') {
    const m = await import(pathToFileURL(req.resolve(spec.alias)).href);
    ipc = new m.IPCModule();
  } else if (spec.kind === 'cjs-module') {
    const m = req(spec.alias); // esbuild CJS bundle: { IPCModule, default }
    ipc = new m.IPCModule();
  } else {
    const m = req(spec.alias); // 9.x exports an instance which carries the IPC class
    ipc = new m.IPC();
  }
  return { ipc, version: spec.want };
}

// Intercept every event node-ipc publishes on `target` (its `publish` is an own property in all
// three versions), then hand it on to node-ipc's own subscribers.
function tap(target, fn) {
  const orig = target.publish;
  if (typeof orig !== 'function') throw new Error('node-ipc object has no publish()');
  target.publish = function (...args) {
    try { fn(args); } catch (e) { out({ event: 'error', message: `peer.js handler: ${e && e.stack || e}` }); }
    return orig.apply(this, args);
  };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const lib = String(a.lib || '');
  const role = String(a.role || '');
  const transport = String(a.transport || 'unix');
  const id = a.id === undefined || a.id === true ? 'peer' : String(a.id);
  const echo = !!a.echo;
  const raw = !!a.raw;
  const maxSeconds = intArg(a, 'max-seconds', 60);
  timestamps = !!a.timestamps;
  const replyDelay = intArg(a, 'reply-delay', undefined);
  // echo now (default), or after --reply-delay ms followed by a "replied" event
  const reply = (send, ev) => {
    if (replyDelay === undefined) { send(); return; }
    setTimeout(() => {
      try { send(); } catch (e) { out(Object.assign({ event: 'error', cmd: 'reply' }, errInfo(e))); return; }
      out(Object.assign({ event: 'replied' }, ev));
    }, replyDelay);
  };

  setTimeout(() => exit(0, { event: 'exit', reason: 'max-seconds' }), maxSeconds * 1000).unref();
  process.on('uncaughtException', e => exit(1, Object.assign({ event: 'fatal' }, errInfo(e), { stack: String(e && e.stack) })));
  process.on('unhandledRejection', e => exit(1, Object.assign({ event: 'fatal' }, errInfo(e), { stack: String(e && e.stack) })));

  if (role !== 'server' && role !== 'client') throw new Error('--role must be server or client');
  if (!['unix', 'tcp', 'tls', 'udp4', 'udp6'].includes(transport)) throw new Error('--transport must be unix, tcp, tls, udp4 or udp6');
  const udp = transport === 'udp4' || transport === 'udp6';
  const tlsOn = transport === 'tls';
  let sockPath, host, port, localHost, localPort;
  if (transport === 'unix') {
    if (typeof a.path !== 'string' || !path.isAbsolute(a.path)) throw new Error('--path=/absolute/path.sock is required for unix');
    sockPath = a.path;
  } else {
    const loopback = transport === 'udp6' ? '::1' : '127.0.0.1';
    host = typeof a.host === 'string' ? a.host : loopback;
    port = intArg(a, 'port', undefined);
    if (!port || port > 65535) throw new Error(`--port=N (1..65535) is required for ${transport} (port 0 is not supported by node-ipc)`);
    if (udp && role === 'client') {
      // node-ipc has no UDP client: the "client" is another UDP endpoint that emits to host:port
      localHost = typeof a['local-host'] === 'string' ? a['local-host'] : loopback;
      localPort = intArg(a, 'local-port', undefined);
      if (!localPort || localPort > 65535) throw new Error('--local-port=N (1..65535) is required for a UDP client');
    }
  }
  const endpoint = transport === 'unix' ? sockPath
    : udp && role === 'client' ? `${localHost}:${localPort} -> ${host}:${port}` : `${host}:${port}`;

  const { ipc, version } = await loadIpc(lib, a['peers-dir'] || process.env.JIPC_PEERS_DIR);
  const cfg = ipc.config;
  cfg.silent = true;
  cfg.logInColor = false;
  cfg.id = role === 'server' ? id : `${id}-client`;
  cfg.rawBuffer = raw;
  // 9.x-12.x unlink config.path before every server start, and for TCP that "path" is the host:
  // a file named e.g. 127.0.0.1 in the working directory would be deleted. Only unlink for unix.
  cfg.unlink = transport === 'unix';
  if (a.encoding !== undefined) cfg.encoding = String(a.encoding);
  if (a.delimiter !== undefined) cfg.delimiter = unescape(a.delimiter);
  if (a.sync) cfg.sync = true;
  cfg.retry = intArg(a, 'retry', 500);
  if (tlsOn) {
    // node-ipc's aliases: private/public/trustedConnections are file paths it reads itself
    // (9.x-12.x: trustedConnections replaces tls.ca; 14: appended to it).
    const t = {};
    if (a.key !== undefined) t.private = String(a.key);
    if (a.cert !== undefined) t.public = String(a.cert);
    if (a.ca !== undefined) {
      const cas = String(a.ca).split(',').filter(x => x);
      t.trustedConnections = cas.length === 1 ? cas[0] : cas;
    }
    if (a['request-cert'] !== undefined) t.requestCert = boolArg(a, 'request-cert');
    if (a['reject-unauthorized'] !== undefined) t.rejectUnauthorized = boolArg(a, 'reject-unauthorized');
    cfg.tls = t;
  }
  if (a['max-retries'] !== undefined) {
    cfg.maxRetries = a['max-retries'] === 'false' ? false : intArg(a, 'max-retries');
  }

  const dataOf = cmd => {
    if (cmd.special === undefined) return cmd.data;
    switch (cmd.special) {
      case 'undefined': return undefined;
      case 'NaN': return NaN;
      case '-0': return -0;
      case 'null': return null;
      default: throw new Error(`unknown special ${cmd.special}`);
    }
  };
  const rawPayload = cmd => {
    if (typeof cmd.hex === 'string') return Buffer.from(cmd.hex, 'hex');
    if (typeof cmd.data === 'string') return cmd.data; // node-ipc encodes it with config.encoding
    throw new Error('raw mode needs "hex" (or a string "data")');
  };

  // TLS details of a connected socket: peer = the other side's certificate subject CN
  const tlsInfo = s => {
    const o = { authorized: !!s.authorized };
    if (s.authorizationError) o.authorizationError = String(s.authorizationError);
    try {
      const c = s.getPeerCertificate();
      o.peer = c && c.subject && c.subject.CN ? c.subject.CN : null;
    } catch (e) { o.peer = null; }
    try { o.protocol = s.getProtocol(); } catch (e) { /* not available */ }
    return o;
  };
  const addrOf = p => ({ address: p.address, port: p.port, family: p.family });

  let handlers;
  if (udp) handlers = startUdp();
  else if (role === 'server') handlers = startServer();
  else handlers = startClient();

  function startServer() {
    const sockets = []; // accepted, in accept order
    const index = new Map(); // socket -> K
    let nextIndex = 0;
    const k = s => {
      if (!index.has(s)) index.set(s, nextIndex++);
      return index.get(s);
    };
    if (transport === 'unix') ipc.serve(sockPath, onStart);
    else ipc.serveNet(host, port, onStart);
    const server = ipc.server;
    function onStart() {
      out({ event: 'ready', role, lib, version, transport, endpoint });
    }
    tap(server, args => {
      const [type] = args;
      if (type === 'connect') {
        const s = args[1];
        sockets.push(s);
        const ev = { event: 'connect', socket: k(s) };
        if (tlsOn && s && s.encrypted) ev.tls = tlsInfo(s); // node-ipc accepts on secureConnection
        out(ev);
      } else if (type === 'socket.disconnected') {
        const s = args[1];
        const i = sockets.indexOf(s);
        if (i >= 0) sockets.splice(i, 1);
        const ev = { event: 'socket.disconnected', socket: s ? k(s) : null };
        if (args[2] !== undefined && args[2] !== false) ev.id = repr(args[2]);
        out(ev);
      } else if (type === 'error') {
        out(Object.assign({ event: 'error' }, errInfo(args[1])));
      } else if (type === 'start' || type === 'close') {
        // 'start' is reported as ready by the serve() callback; 'close' is node-ipc internal.
      } else if (raw && type === 'data') {
        const buf = Buffer.from(args[1]);
        const s = args[2];
        out({ event: 'data', hex: buf.toString('hex'), socket: k(s) });
        if (echo) reply(() => server.emit(s, buf), { hex: buf.toString('hex'), socket: k(s) });
      } else {
        const data = args[1], s = args[2];
        out({ event: 'message', type, data, repr: repr(data), socket: k(s) });
        if (echo) reply(() => server.emit(s, type, data), { type, repr: repr(data), socket: k(s) });
      }
    });
    server.start();
    // handshakes that failed never reach node-ipc (it listens for secureConnection only)
    if (tlsOn && server.server && typeof server.server.on === 'function') {
      server.server.on('tlsClientError', e => out(Object.assign({ event: 'tlsClientError' }, errInfo(e))));
    }
    const live = () => sockets.filter(s => !s.destroyed);
    const toAll = fn => { for (const s of live()) fn(s); };
    return {
      emit(cmd) {
        if (raw) { const p = rawPayload(cmd); toAll(s => server.emit(s, p)); return; }
        const d = dataOf(cmd);
        toAll(s => server.emit(s, cmd.type, d));
      },
      emitRepeat(cmd) {
        const n = intArg(cmd, 'count'), prefix = cmd.dataPrefix === undefined ? 'm' : String(cmd.dataPrefix);
        const targets = live();
        for (let i = 0; i < n; i++) {
          for (const s of targets) server.emit(s, cmd.type, { seq: i, text: prefix + i });
        }
      },
      emitHex(cmd) { const p = Buffer.from(String(cmd.hex), 'hex'); toAll(s => server.emit(s, p)); },
      broadcast(cmd) {
        if (raw) server.broadcast(rawPayload(cmd));
        else server.broadcast(cmd.type, dataOf(cmd));
      },
      stop() { server.stop(); },
      disconnect() { throw new Error('disconnect is a client command'); },
    };
  }

  function startClient() {
    if (transport === 'unix') ipc.connectTo(id, sockPath);
    else ipc.connectToNet(id, host, port);
    const client = ipc.of[id];
    if (tlsOn) {
      // 9.x-12.x publish connect at TCP connect (before the handshake), 14 after secureConnect:
      // report the handshake itself as "secure". Every (re)connect makes a new socket.
      const hooked = new WeakSet();
      const hook = c => {
        const s = c.socket;
        if (!s || typeof s.on !== 'function' || hooked.has(s)) return;
        hooked.add(s);
        s.on('secureConnect', () => out(Object.assign({ event: 'secure' }, tlsInfo(s))));
      };
      hook(client);
      const origConnect = client.connect;
      client.connect = function (...args) {
        const r = origConnect.apply(this, args);
        hook(this);
        return r;
      };
    }
    tap(client, args => {
      const [type] = args;
      if (type === 'connect' || type === 'disconnect' || type === 'destroy') {
        out({ event: type });
      } else if (type === 'error') {
        out(Object.assign({ event: 'error' }, errInfo(args[1])));
      } else if (raw && type === 'data') {
        const buf = Buffer.from(args[1]);
        out({ event: 'data', hex: buf.toString('hex') });
        if (echo) reply(() => client.emit(buf), { hex: buf.toString('hex') });
      } else {
        const data = args[1];
        out({ event: 'message', type, data, repr: repr(data) });
        if (echo) reply(() => client.emit(type, data), { type, repr: repr(data) });
      }
    });
    out({ event: 'ready', role, lib, version, transport, endpoint });
    const cur = () => {
      const c = ipc.of[id];
      if (!c) throw new Error(`not connected to ${id} (disconnected?)`);
      return c;
    };
    return {
      emit(cmd) {
        if (raw) cur().emit(rawPayload(cmd));
        else cur().emit(cmd.type, dataOf(cmd));
      },
      emitRepeat(cmd) {
        const n = intArg(cmd, 'count'), prefix = cmd.dataPrefix === undefined ? 'm' : String(cmd.dataPrefix);
        const c = cur();
        for (let i = 0; i < n; i++) c.emit(cmd.type, { seq: i, text: prefix + i });
      },
      emitHex(cmd) { cur().emit(Buffer.from(String(cmd.hex), 'hex')); },
      broadcast() { throw new Error('broadcast is a server command'); },
      stop() { throw new Error('stop is a server command'); },
      disconnect() { ipc.disconnect(id); },
    };
  }

  // UDP: both roles are serveNet(host, port, 'udp4'|'udp6') endpoints (node-ipc has no UDP client);
  // the client binds --local-host:--local-port and emits to --host:--port by default.
  function startUdp() {
    const bindHost = role === 'server' ? host : localHost;
    const bindPort = role === 'server' ? port : localPort;
    const senders = []; // distinct {address, port} we received from, first-seen order
    const seen = new Set();
    let ready = false;
    ipc.serveNet(bindHost, bindPort, transport, () => {
      // 9.x-12.x call this right after bind() was *called*; wait for 'connect' (listening) instead
    });
    const server = ipc.server;
    tap(server, args => {
      const [type] = args;
      if (type === 'connect') {
        // the dgram socket: published once it listens (9.x-12.x) / is bound (14)
        if (!ready) {
          ready = true;
          let bound = null;
          try { bound = addrOf(server.server.address()); } catch (e) { /* not bound */ }
          out({ event: 'ready', role, lib, version, transport, endpoint, bound });
        }
      } else if (type === 'start' || type === 'close' || type === 'socket.disconnected') {
        // no connections in UDP
      } else if (type === 'error') {
        out(Object.assign({ event: 'error' }, errInfo(args[1])));
      } else {
        const p = args[2];
        const from = p && p.address !== undefined ? addrOf(p) : null;
        if (from) {
          const key = `${from.address}|${from.port}`;
          if (!seen.has(key)) { seen.add(key); senders.push({ address: from.address, port: from.port }); }
        }
        if (raw && type === 'data') {
          const buf = Buffer.from(args[1]);
          out({ event: 'data', hex: buf.toString('hex'), from });
          if (echo && p) server.emit(p, buf);
        } else {
          const data = args[1];
          out({ event: 'message', type, data, repr: repr(data), from });
          if (echo && p) server.emit(p, type, data); // reply to the sender, as node-ipc apps do
        }
      }
    });
    server.start();
    const targets = cmd => {
      if (cmd.to !== undefined) {
        if (!cmd.to || typeof cmd.to.address !== 'string' || !Number.isInteger(cmd.to.port)) {
          throw new Error('"to" must be {"address":A,"port":N}');
        }
        return [{ address: cmd.to.address, port: cmd.to.port }];
      }
      if (role === 'client') return [{ address: host, port }];
      if (!senders.length) throw new Error('no UDP peer has sent anything yet: give "to"');
      return senders;
    };
    return {
      emit(cmd) {
        const ts = targets(cmd);
        if (raw) { const p = rawPayload(cmd); for (const t of ts) server.emit(t, p); return; }
        const d = dataOf(cmd);
        for (const t of ts) server.emit(t, cmd.type, d);
      },
      emitRepeat(cmd) {
        const n = intArg(cmd, 'count'), prefix = cmd.dataPrefix === undefined ? 'm' : String(cmd.dataPrefix);
        const ts = targets(cmd);
        for (let i = 0; i < n; i++) {
          for (const t of ts) server.emit(t, cmd.type, { seq: i, text: prefix + i });
        }
      },
      emitHex(cmd) { const p = Buffer.from(String(cmd.hex), 'hex'); for (const t of targets(cmd)) server.emit(t, p); },
      broadcast(cmd) {
        if (raw) server.broadcast(rawPayload(cmd));
        else server.broadcast(cmd.type, dataOf(cmd));
      },
      stop() { server.stop(); },
      disconnect() { throw new Error('disconnect: UDP has no connections'); },
    };
  }

  // commands ------------------------------------------------------------------------------------
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  rl.on('line', line => {
    if (!line.trim()) return;
    let cmd;
    try { cmd = JSON.parse(line); } catch (e) {
      out({ event: 'error', message: `bad command line: ${e.message}` });
      out({ event: 'done', cmd: null, error: 'bad command line' });
      return;
    }
    const name = cmd && cmd.cmd;
    if (name === 'exit') { exit(0, { event: 'done', cmd: 'exit' }); return; }
    try {
      if (name === 'ping') {
        // no-op: its "done" is an event-loop barrier (I/O that was pending before it has been handled)
      } else if (!Object.prototype.hasOwnProperty.call(handlers, name)) {
        throw new Error(`unknown cmd ${JSON.stringify(name)}`);
      } else {
        handlers[name](cmd);
      }
      out({ event: 'done', cmd: name });
    } catch (e) {
      out(Object.assign({ event: 'error', cmd: name === undefined ? null : name }, errInfo(e)));
      out({ event: 'done', cmd: name === undefined ? null : name, error: String(e && e.message || e) });
    }
  });
  rl.on('close', () => exit(0, { event: 'exit', reason: 'stdin closed' }));
}

main().catch(e => exit(2, Object.assign({ event: 'fatal' }, errInfo(e), { stack: String(e && e.stack) })));

// The real gRPC peer for StandIns.Grpc.Tests (@grpc/grpc-js).
//   node interop.js server                     -> serves echo.proto on 127.0.0.1:<random>, prints "PORT <n>"
//   node interop.js client <port> <scenario>   -> runs one scenario against our server, prints "RESULT <json>"
'use strict';
const path = require('path');
const { once } = require('events');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const protoDir = path.join(__dirname, '..', 'Protos');
const healthDir = path.join(__dirname, '..', '..', '..', 'StandIns', 'Grpc', 'Protos');
const definition = loader.loadSync([path.join(protoDir, 'echo.proto'), path.join(healthDir, 'health.proto')], {
  keepCase: false, longs: String, enums: String, defaults: true, oneofs: true,
  includeDirs: [path.join(__dirname, '..', '..', '..', 'StandIns', 'Contracts', 'Protos')],
});
const pkg = grpc.loadPackageDefinition(definition);
const Echo = pkg.mcpplatform.test.v1.Echo;
const Health = pkg.grpc.health.v1.Health;
const unlimited = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };

// ---------------------------------------------------------------- server
function serve() {
  const cancelled = new Map();
  const waiters = new Map();
  const markCancelled = (key) => {
    cancelled.set(key, true);
    for (const resolve of waiters.get(key) || []) resolve(true);
    waiters.delete(key);
  };
  const echoedMetadata = (call) => {
    const out = new grpc.Metadata();
    for (const [key, value] of Object.entries(call.metadata.getMap())) {
      if (key.startsWith('x-')) out.set(key, value);
    }
    return out;
  };
  const respond = (req, index) => ({ index, payload: req.responseSize > 0 ? Buffer.alloc(req.responseSize) : req.payload });
  const prepare = async (call, req) => {
    if (req.echoMetadata) call.sendMetadata(echoedMetadata(call));
    if (req.delayMs > 0) {
      if (!req.echoMetadata) call.sendMetadata(new grpc.Metadata());
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, req.delayMs);
        call.on('cancelled', () => { clearTimeout(timer); markCancelled(req.key); reject({ cancelled: true }); });
      });
    }
    if (req.throwMessage) throw { code: grpc.status.UNKNOWN, details: req.throwMessage };
    if (req.statusCode) {
      const metadata = new grpc.Metadata();
      metadata.set('x-error-detail', 'detail');
      throw { code: req.statusCode, details: req.statusMessage, metadata };
    }
  };

  const server = new grpc.Server(unlimited);
  server.addService(Echo.service, {
    unary: async (call, callback) => {
      try { await prepare(call, call.request); } catch (e) { if (!e.cancelled) callback(e); return; }
      callback(null, respond(call.request, 0), call.request.echoMetadata ? echoedMetadata(call) : undefined);
    },
    serverStream: async (call) => {
      try { await prepare(call, call.request); } catch (e) { if (!e.cancelled) call.emit('error', e); return; }
      for (let i = 0; i < call.request.responseCount; i++) {
        if (!call.write(respond(call.request, i))) await once(call, 'drain');
      }
      call.end(call.request.echoMetadata ? echoedMetadata(call) : undefined);
    },
    clientStream: (call, callback) => {
      let count = 0;
      let total = 0;
      call.on('data', (req) => { count++; total += req.payload.length; });
      call.on('end', () => callback(null, { count, totalBytes: String(total) }));
    },
    bidi: (call) => {
      let index = 0;
      call.on('data', (req) => {
        if (!call.write(respond(req, index++))) {
          call.pause();
          call.once('drain', () => call.resume());
        }
      });
      call.on('end', () => call.end());
    },
    // Our multiplexing protocol (StandIns/Grpc/Multiplexing), written here from its proto comments: each start frame
    // runs serverStream's logic as a call of its own; a cancel frame stops it silently; MuxCallContext.timeout is
    // the call's deadline; every other call ends with one `end` frame carrying its status.
    serverStreamMux: (call) => {
      const running = new Map();
      let closing = false;
      const finish = () => { if (closing && running.size === 0) call.end(); };
      const end = (callId, statusCode, detail) => call.write({ callId, end: { statusCode, detail } });
      call.on('data', async (frame) => {
        const callId = frame.callId;
        if (frame.frame === 'cancel') {
          const state = running.get(callId);
          if (state) { state.cancelled = true; state.abort(); }
          return;
        }
        if (frame.frame !== 'start' || callId === '0') { end(callId, grpc.status.INVALID_ARGUMENT, 'call_id must not be 0, and a frame carries start or cancel.'); return; }
        if (running.has(callId)) { end(callId, grpc.status.INVALID_ARGUMENT, 'call_id ' + callId + ' is already in use.'); return; }
        const req = frame.start;
        const controller = new AbortController();
        const state = { cancelled: false, deadline: false, abort: () => controller.abort() };
        running.set(callId, state);
        const timeout = frame.context && frame.context.timeout;
        const timer = timeout ? setTimeout(() => { state.deadline = true; controller.abort(); }, Number(timeout.seconds) * 1000 + timeout.nanos / 1e6) : null;
        try {
          if (req.delayMs > 0) {
            await new Promise((resolve, reject) => {
              const wait = setTimeout(resolve, req.delayMs);
              controller.signal.addEventListener('abort', () => { clearTimeout(wait); reject(new Error('aborted')); });
            });
          }
          if (req.statusCode) throw { code: req.statusCode, details: req.statusMessage };
          for (let i = 0; i < req.responseCount; i++) call.write({ callId, event: respond(req, i) });
          end(callId, grpc.status.OK, '');
        } catch (e) {
          if (state.cancelled) { if (req.key) markCancelled(req.key); }
          else if (state.deadline) { if (req.key) markCancelled(req.key); end(callId, grpc.status.DEADLINE_EXCEEDED, 'Deadline Exceeded'); }
          else end(callId, e.code || grpc.status.UNKNOWN, e.details || String(e));
        } finally {
          if (timer) clearTimeout(timer);
          running.delete(callId);
          finish();
        }
      });
      call.on('end', () => { closing = true; finish(); });
      call.on('cancelled', () => { for (const state of running.values()) { state.cancelled = true; state.abort(); } });
    },
    awaitCancelled: async (call, callback) => {
      const key = call.request.key;
      const result = cancelled.get(key) ? true : await new Promise((resolve) => {
        const list = waiters.get(key) || [];
        list.push(resolve);
        waiters.set(key, list);
        setTimeout(() => resolve(false), 10000);
      });
      callback(null, { cancelled: result });
    },
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) { console.error(err); process.exit(1); }
    console.log('PORT ' + port);
  });
}

// ---------------------------------------------------------------- client scenarios
const statusOf = (fn) => new Promise((resolve) => fn((err, value) => resolve({ err, value })));
const valueOf = async (fn) => {
  const { err, value } = await statusOf(fn);
  if (err) throw new Error(`unexpected status ${err.code}: ${err.details}`);
  return value;
};

const scenarios = {
  async unary(client) {
    const md = new grpc.Metadata();
    md.set('x-ascii', 'hello');
    md.set('x-data-bin', Buffer.from([0, 1, 2, 255]));
    let headers;
    let trailers;
    const { err, value } = await new Promise((resolve) => {
      const call = client.unary({ payload: Buffer.from('ping'), echoMetadata: true }, md, (e, v) => resolve({ err: e, value: v }));
      call.on('metadata', (m) => { headers = m; });
      call.on('status', (s) => { trailers = s.metadata; });
    });
    await new Promise((r) => setImmediate(r));
    return {
      code: err ? err.code : 0,
      payload: value.payload.toString(),
      headerAscii: headers.get('x-ascii')[0],
      headerBin: headers.get('x-data-bin')[0].toString('base64'),
      trailerAscii: trailers.get('x-ascii')[0],
      trailerBin: trailers.get('x-data-bin')[0].toString('base64'),
    };
  },
  async serverStream(client) {
    const call = client.serverStream({ responseCount: 5, payload: Buffer.from('s') });
    const indexes = [];
    for await (const msg of call) indexes.push(msg.index);
    return { indexes };
  },
  async clientStream(client) {
    const err = null;
    const value = await valueOf((cb) => {
      const call = client.clientStream(cb);
      for (let i = 0; i < 10; i++) call.write({ payload: Buffer.alloc(1000, i) });
      call.end();
    });
    return { code: err ? err.code : 0, count: value.count, totalBytes: Number(value.totalBytes) };
  },
  async bidi(client) {
    const call = client.bidi();
    const iterator = call[Symbol.asyncIterator]();
    let matched = 0;
    for (let i = 0; i < 10; i++) {
      call.write({ payload: Buffer.from('m' + i) });
      const { value } = await iterator.next();
      if (value.payload.toString() === 'm' + i && value.index === i) matched++;
    }
    call.end();
    const end = await iterator.next();
    return { matched, done: end.done };
  },
  async error(client) {
    const { err } = await statusOf((cb) => client.unary({ statusCode: 9, statusMessage: 'precondition failed: 50% ünïcode ✓\nline2' }, cb));
    return { code: err.code, details: err.details, trailer: err.metadata.get('x-error-detail')[0] };
  },
  async throws(client) {
    const { err } = await statusOf((cb) => client.unary({ throwMessage: 'secret connection string' }, cb));
    return { code: err.code, details: err.details };
  },
  async deadline(client) {
    const started = Date.now();
    const { err } = await statusOf((cb) => client.unary({ delayMs: 20000, key: 'node-deadline' }, { deadline: Date.now() + 1500 }, cb));
    return { code: err.code, elapsedMs: Date.now() - started };
  },
  async cancel(client) {
    const call = client.serverStream({ delayMs: 20000, key: 'node-cancel', responseCount: 1 });
    call.on('metadata', () => call.cancel());
    const code = await new Promise((resolve) => { call.on('error', (e) => resolve(e.code)); call.on('data', () => {}); });
    return { code };
  },
  async large(client) {
    const size = 5 * 1024 * 1024;
    const err = null;
    const value = await valueOf((cb) => client.unary({ payload: Buffer.alloc(size, 7) }, cb));
    const big = await valueOf((cb) => client.unary({ payload: Buffer.from('x'), responseSize: 6 * 1024 * 1024 }, cb));
    const call = client.bidi();
    let bidiBytes = 0;
    const done = new Promise((resolve) => { call.on('data', (m) => { bidiBytes += m.payload.length; }); call.on('end', resolve); });
    for (let i = 0; i < 3; i++) call.write({ payload: Buffer.alloc(size, i) });
    call.end();
    await done;
    return {
      code: err ? err.code : 0,
      echoedBytes: value.payload.length,
      echoedIntact: value.payload.every((b) => b === 7),
      bigBytes: big.payload.length,
      bidiBytes,
    };
  },
  async concurrent(client) {
    const one = async (n) => {
      const call = client.bidi();
      const iterator = call[Symbol.asyncIterator]();
      for (let i = 0; i < 5; i++) {
        call.write({ payload: Buffer.from(n + ':' + i) });
        const { value } = await iterator.next();
        if (value.payload.toString() !== n + ':' + i) throw new Error('mismatch');
      }
      call.end();
      await iterator.next();
      return 1;
    };
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, n) => one(n)));
    return { ok: results.filter((r) => r.status === 'fulfilled').length, failures: results.filter((r) => r.status === 'rejected').map((r) => String(r.reason)).slice(0, 3) };
  },
  // Our multiplexing protocol (StandIns/Grpc/Multiplexing) spoken by hand from grpc-js: many calls on one bidi
  // stream, interleaved, each ending with its own `end` frame; a cancel frame and a per-call deadline.
  async mux(client) {
    const call = client.serverStreamMux();
    const calls = {};
    const entry = (id) => (calls[id] = calls[id] || { payloads: [], indexes: [], ended: 0 });
    const expectedEnds = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '10', '11', '12']);
    let settle;
    const allEnded = new Promise((resolve, reject) => { settle = { resolve, reject }; });
    const streamDone = new Promise((resolve) => { call.on('end', () => resolve('end')); call.on('error', (e) => resolve('error ' + e.code)); });
    call.on('data', (frame) => {
      const e = entry(String(frame.callId));
      if (frame.frame === 'event') {
        e.payloads.push(frame.event.payload.toString());
        e.indexes.push(frame.event.index);
      } else if (frame.frame === 'end') {
        e.ended++;
        e.code = frame.end.statusCode;
        e.detail = frame.end.detail;
        if ([...expectedEnds].every((id) => calls[id] && calls[id].ended > 0)) settle.resolve();
      }
    });
    const timer = setTimeout(() => settle.reject(new Error('not every call ended: ' + JSON.stringify(calls))), 15000);
    for (let id = 1; id <= 8; id++) call.write({ callId: String(id), start: { payload: Buffer.from('c' + id), responseCount: id } });
    call.write({ callId: '9', start: { delayMs: 20000, responseCount: 1, key: 'node-mux-cancel' } });
    call.write({ callId: '10', start: { statusCode: 9, statusMessage: 'precondition failed ✓' } });
    call.write({ callId: '11', start: { delayMs: 20000, responseCount: 1, key: 'node-mux-deadline' }, context: { timeout: { seconds: 0, nanos: 300000000 } } });
    call.write({ callId: '12', start: { throwMessage: 'secret connection string' } });
    call.write({ callId: '0', start: { payload: Buffer.from('zero'), responseCount: 1 } });
    setTimeout(() => call.write({ callId: '9', cancel: { reason: 'node cancelled' } }), 300);
    await allEnded;
    clearTimeout(timer);
    // A cancelled call gets nothing more: give a stray frame for it time to show up before closing our side.
    await new Promise((resolve) => setTimeout(resolve, 500));
    call.end();
    const stream = await streamDone;
    return { calls, stream };
  },
  async unimplemented(client) {
    const raw = (method) => statusOf((cb) => client.makeUnaryRequest(method, (x) => x, (x) => x, Buffer.alloc(0), cb));
    const method = await raw('/mcpplatform.test.v1.Echo/Nope');
    const service = await raw('/nope.v1.Nothing/Call');
    return { methodCode: method.err.code, methodDetails: method.err.details, serviceCode: service.err.code };
  },
  async health(client, port) {
    const health = new Health('127.0.0.1:' + port, grpc.credentials.createInsecure());
    const server = await valueOf((cb) => health.check({ service: '' }, cb));
    const unknown = await statusOf((cb) => health.check({ service: 'nope' }, cb));
    const watch = health.watch({ service: '' });
    const first = await new Promise((resolve) => watch.once('data', resolve));
    watch.cancel();
    watch.on('error', () => {});
    health.close();
    return { status: server.status, unknownCode: unknown.err.code, watched: first.status };
  },
};

async function runClient(port, scenario) {
  const client = new Echo('127.0.0.1:' + port, grpc.credentials.createInsecure(), unlimited);
  try {
    const result = await scenarios[scenario](client, port);
    console.log('RESULT ' + JSON.stringify(result));
  } catch (e) {
    console.log('RESULT ' + JSON.stringify({ exception: String(e && e.stack || e) }));
  } finally {
    client.close();
  }
  process.exit(0);
}

const [mode, port, scenario] = process.argv.slice(2);
if (mode === 'server') serve();
else if (mode === 'client') runClient(port, scenario);
else { console.error('usage: interop.js server | client <port> <scenario>'); process.exit(2); }

// grpc-js side of bench/Grpc.Bench.
//   node bench.js server                                                   -> prints "PORT <n>"
//   node bench.js client <port> <unary|pingpong> <concurrency> <warmupMs> <durationMs> <payloadBytes>
//                                                                          -> prints "RESULT {"ops":n,"seconds":s}"
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const definition = loader.loadSync(path.join(__dirname, '..', 'Protos', 'bench.proto'), { keepCase: false, defaults: true });
const Bench = grpc.loadPackageDefinition(definition).mcpplatform.bench.v1.Bench;

function serve() {
  const server = new grpc.Server();
  server.addService(Bench.service, {
    unary: (call, callback) => callback(null, call.request),
    pingPong: (call) => {
      call.on('data', (message) => call.write(message));
      call.on('end', () => call.end());
    },
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) { console.error(err); process.exit(1); }
    console.log('PORT ' + port);
  });
}

async function runClient(port, scenario, concurrency, warmupMs, durationMs, payloadBytes) {
  const client = new Bench('127.0.0.1:' + port, grpc.credentials.createInsecure());
  const payload = { data: Buffer.alloc(payloadBytes, 1) };
  let counting = false;
  let stop = false;
  let ops = 0;

  const unaryWorker = () => new Promise((resolve, reject) => {
    const next = () => {
      if (stop) return resolve();
      client.unary(payload, (err) => {
        if (err) return reject(err);
        if (counting) ops++;
        next();
      });
    };
    next();
  });

  const pingPongWorker = () => new Promise((resolve, reject) => {
    const call = client.pingPong();
    call.on('data', () => {
      if (counting) ops++;
      if (stop) { call.end(); return; }
      call.write(payload);
    });
    call.on('error', reject);
    call.on('end', resolve);
    call.write(payload);
  });

  const worker = scenario === 'unary' ? unaryWorker : pingPongWorker;
  const workers = Array.from({ length: concurrency }, () => worker());
  await new Promise((r) => setTimeout(r, warmupMs));
  counting = true;
  const started = process.hrtime.bigint();
  await new Promise((r) => setTimeout(r, durationMs));
  counting = false;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  stop = true;
  await Promise.all(workers);
  client.close();
  console.log('RESULT ' + JSON.stringify({ ops, seconds }));
  process.exit(0);
}

const [mode, port, scenario, concurrency, warmupMs, durationMs, payloadBytes] = process.argv.slice(2);
if (mode === 'server') serve();
else if (mode === 'client') runClient(port, scenario, Number(concurrency), Number(warmupMs), Number(durationMs), Number(payloadBytes));
else { console.error('usage: bench.js server | client <port> <unary|pingpong> <concurrency> <warmupMs> <durationMs> <payloadBytes>'); process.exit(2); }

// The TypeScript SDK client as a cross-check of the lean C# client: N sessions over Streamable HTTP,
// each calling echo with a unique payload back to back for a while, every answer checked.
// node sdk-client.mjs <url> <sessions> <warmupMs> <durationMs> [bearer]
// Prints one line: RESULT {"calls":…,"seconds":…,"wrong":…,"errors":…,"p50":…,"p99":…,"clientCpuMs":…}
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, sessionsText, warmupText, durationText, bearer] = process.argv.slice(2);
const sessions = Number(sessionsText);
const headers = bearer ? { Authorization: `Bearer ${bearer}` } : {};

async function open(i) {
  const client = new Client({ name: `gateway-bench-sdk-${i}`, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

const clients = [];
for (let i = 0; i < sessions; i++) clients.push(await open(i));

let measuring = false, stopped = false, calls = 0, wrong = 0, errors = 0, sequence = 0;
const latencies = [];
async function loop(client, i) {
  while (!stopped) {
    const text = `sdk${i}-${sequence++}-${Math.random().toString(16).slice(2, 10)}`;
    const inWindow = measuring;
    const started = process.hrtime.bigint();
    try {
      const result = await client.callTool({ name: "echo", arguments: { text } });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.isError) errors++;
      else if (result.content?.[0]?.text !== text) wrong++;
      else if (inWindow && measuring) { calls++; latencies.push(ms); }
    } catch {
      errors++;
    }
  }
}

const running = clients.map((c, i) => loop(c, i));
await new Promise((r) => setTimeout(r, Number(warmupText)));
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
measuring = true;
await new Promise((r) => setTimeout(r, Number(durationText)));
measuring = false;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
stopped = true;
await Promise.all(running);
await Promise.all(clients.map((c) => c.close().catch(() => {})));
latencies.sort((a, b) => a - b);
const at = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] : null);
console.log("RESULT " + JSON.stringify({ calls, seconds, wrong, errors, p50: at(50), p99: at(99), clientCpuMs: (cpu.user + cpu.system) / 1000 }));
process.exit(0);

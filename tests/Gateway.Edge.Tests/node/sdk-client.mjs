// The TypeScript SDK client against the gateway, one scenario per run (the C# tests start it and read its last line).
// node sdk-client.mjs <sse|http> <url> <scenario> [apiKey]
//   scenario "tools":     handshake, tools/list, tools/call echo, tools/call progress (progress notifications)
//   scenario "resources": handshake, resources/list, resources/read of the first, prompts/list, prompts/get of the first
// Prints one JSON line with what it saw; exits 1 (with the error on stderr) when any step fails.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [kind, url, scenario, apiKey] = process.argv.slice(2);
const headers = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
const transport = kind === "sse"
  // requestInit's headers go on the stream's GET as well as on every POST.
  ? new SSEClientTransport(new URL(url), { requestInit: { headers } })
  : new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });

const client = new Client({ name: "gateway-edge-tests", version: "1.0.0" });
const seen = { transport: kind };
try {
  await client.connect(transport);
  seen.server = client.getServerVersion()?.name;
  seen.sessionId = transport.sessionId ?? null;
  if (scenario === "tools") {
    const tools = await client.listTools();
    seen.tools = tools.tools.map((t) => t.name);
    const echo = await client.callTool({ name: "echo", arguments: { text: "hello from the TypeScript SDK" } });
    seen.echo = echo.content[0]?.text;
    const progress = [];
    const done = await client.callTool({ name: "progress", arguments: { steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    // The SDK runs notification handlers asynchronously: the result may resolve first.
    for (let waited = 0; progress.length < 3 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    seen.progress = progress;
    seen.progressResult = done.content[0]?.text;
  } else if (scenario === "resources") {
    const resources = await client.listResources();
    seen.resources = resources.resources.map((r) => r.uri);
    const read = await client.readResource({ uri: resources.resources[0].uri });
    seen.read = read.contents.length;
    const prompts = await client.listPrompts();
    seen.prompts = prompts.prompts.map((p) => p.name);
    const simple = prompts.prompts.find((p) => !p.arguments?.some((a) => a.required)) ?? prompts.prompts[0];
    const got = await client.getPrompt({ name: simple.name, arguments: {} });
    seen.promptMessages = got.messages.length;
  } else {
    throw new Error(`unknown scenario ${scenario}`);
  }
  // End the session (DELETE) so a session-isolation slot is released now, not after its idle timeout.
  if (kind !== "sse") await transport.terminateSession();
  await client.close();
  console.log(JSON.stringify(seen));
  process.exit(0);
} catch (error) {
  console.error(error?.stack ?? String(error));
  console.log(JSON.stringify({ ...seen, error: String(error?.message ?? error) }));
  process.exit(1);
}

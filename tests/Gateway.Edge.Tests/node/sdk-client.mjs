// The TypeScript SDK client against the gateway, one scenario per run (the C# tests start it and read its last line).
// node sdk-client.mjs <sse|http> <url> <scenario> [apiKey]
//   scenario "tools":     handshake, tools/list, tools/call echo, tools/call progress (progress notifications)
//   scenario "resources": handshake, resources/list, resources/read of the first, prompts/list, prompts/get of the first
//   scenario "everything": against @modelcontextprotocol/server-everything (session isolation): handshake declaring
//     sampling and elicitation, tools/list, tools/call echo, resources/list + read, prompts/list + get, progress of
//     trigger-long-running-operation, and the server's own requests: trigger-sampling-request (sampling/createMessage,
//     answered by the handler below) and trigger-elicitation-request (elicitation/create, accepted with a name)
// Prints one JSON line with what it saw; exits 1 (with the error on stderr) when any step fails.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const [kind, url, scenario, apiKey] = process.argv.slice(2);
const headers = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
const transport = kind === "sse"
  // requestInit's headers go on the stream's GET as well as on every POST.
  ? new SSEClientTransport(new URL(url), { requestInit: { headers } })
  : new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });

const client = new Client({ name: "gateway-edge-tests", version: "1.0.0" }, { capabilities: { sampling: {}, elicitation: {} } });
const seen = { transport: kind };
// The server's requests reach these handlers only when the gateway routes them to this session and carries the
// answers back to the same process; what they saw is reported so the test can tell the round trip happened.
client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
  seen.samplingAsked = request.params.messages[0]?.content?.text;
  return { role: "assistant", content: { type: "text", text: "sampled by the TypeScript SDK" }, model: "test-model", stopReason: "endTurn" };
});
client.setRequestHandler(ElicitRequestSchema, async (request) => {
  seen.elicitationAsked = request.params.message;
  return { action: "accept", content: { name: "Ada Lovelace", check: true } };
});
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
  } else if (scenario === "everything") {
    const tools = await client.listTools();
    seen.tools = tools.tools.map((t) => t.name);
    const echo = await client.callTool({ name: "echo", arguments: { message: "hello everything" } });
    seen.echo = echo.content[0]?.text;
    const resources = await client.listResources();
    const read = await client.readResource({ uri: resources.resources[0].uri });
    seen.read = read.contents.length;
    const prompts = await client.listPrompts();
    const got = await client.getPrompt({ name: "simple-prompt", arguments: {} });
    seen.prompts = prompts.prompts.map((p) => p.name);
    seen.promptMessages = got.messages.length;
    const progress = [];
    const done = await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 0.6, steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    for (let waited = 0; progress.length < 3 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    seen.progress = progress;
    seen.progressResult = done.content[0]?.text;
    const sampled = await client.callTool({ name: "trigger-sampling-request", arguments: { prompt: "say hi", maxTokens: 10 } });
    seen.sampling = sampled.content[0]?.text;
    const elicited = await client.callTool({ name: "trigger-elicitation-request", arguments: {} });
    seen.elicitation = elicited.content.map((c) => c.text).join("\n");
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

// The TypeScript SDK client resuming a dropped POST stream by itself, against the gateway (Node 20).
// node resume-client.mjs <url> <other replica's url> <apiKey>
// Connects on <url>, calls the echo server's slow `progress` tool with a progress callback, and cuts that POST's SSE
// answer right after its first progress event (as a network drop would). The SDK then reconnects with GET +
// Last-Event-ID, which this script's fetch sends to the other replica. Prints one JSON line: the progress values the
// callback saw, the result text, and the Last-Event-IDs the SDK resumed with; exits 1 when a step fails.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, otherUrl, apiKey] = process.argv.slice(2);
const seen = { resumedWith: [], dropped: false };

// Passes the stream through up to the end of the first progress event, then breaks it off.
function cutAfterFirstProgress(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let text = "";
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) {
        controller.close();
        return;
      }
      const start = text.length;
      text += decoder.decode(value, { stream: true });
      const progress = text.indexOf("notifications/progress");
      const end = progress < 0 ? -1 : text.indexOf("\n\n", progress);
      if (end < 0) {
        controller.enqueue(encoder.encode(text.slice(start)));
        return;
      }
      controller.enqueue(encoder.encode(text.slice(start, end + 2)));
      seen.dropped = true;
      await reader.cancel();
      controller.error(new Error("connection dropped by the test"));
    },
    cancel: () => reader.cancel(),
  });
}

async function testFetch(input, init) {
  const headers = new Headers(init?.headers);
  if ((init?.method ?? "GET") === "GET" && headers.get("last-event-id")) {
    seen.resumedWith.push(headers.get("last-event-id"));
    return fetch(otherUrl, init);
  }
  const response = await fetch(input, init);
  const isSlowCall = typeof init?.body === "string" && init.body.includes('"name":"progress"');
  if (isSlowCall && !seen.dropped && response.headers.get("content-type")?.includes("text/event-stream")) {
    return new Response(cutAfterFirstProgress(response.body), { status: response.status, headers: response.headers });
  }
  return response;
}

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${apiKey}` } },
  fetch: testFetch,
});
const client = new Client({ name: "gateway-edge-resume-tests", version: "1.0.0" });
try {
  await client.connect(transport);
  const progress = [];
  const done = await client.callTool({ name: "progress", arguments: { steps: 4, delayMs: 700 } }, undefined, {
    onprogress: (p) => progress.push(p.progress),
    timeout: 30000,
  });
  // The SDK runs notification handlers asynchronously: the result may resolve first.
  for (let waited = 0; progress.length < 4 && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
  seen.progress = progress;
  seen.result = done.content[0]?.text;
  seen.sessionId = transport.sessionId ?? null;
  await transport.terminateSession();
  await client.close();
  console.log(JSON.stringify(seen));
} catch (error) {
  console.error(error);
  console.log(JSON.stringify(seen));
  process.exit(1);
}

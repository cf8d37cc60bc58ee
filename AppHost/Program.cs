using McpPlatform.AppHost;
using McpPlatform.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

var credentials = builder.AddMcpPlatform();

await using var app = builder.Build();

return await app.RunAsync(ready => ConnectionHelp.Print(ready, credentials));

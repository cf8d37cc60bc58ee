using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Extensions;
using McpPlatform.Gateway.Edge.Mcp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapEdgeForwarding();
app.MapGatewayAccess();
app.MapMcp();

app.Run();

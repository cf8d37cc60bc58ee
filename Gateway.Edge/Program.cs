using McpPlatform.Gateway.Edge.Access;
using McpPlatform.Gateway.Edge.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapEdgeForwarding();
app.MapGatewayAccess();

app.Run();

using McpPlatform.Dispatcher.Grpc.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcHealthChecksService();
app.MapDispatcher();

app.Run();

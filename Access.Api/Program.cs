using McpPlatform.Access.Api.Cli;
using McpPlatform.Access.Api.Extensions;

if (AuditVerifyCommand.Matches(args))
{
    return await AuditVerifyCommand.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcHealthChecksService();
app.MapAccess();

await app.RunAsync();
return Environment.ExitCode;

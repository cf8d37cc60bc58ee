namespace McpPlatform.Dispatcher.Grpc.Extensions;

/// <summary>The service's registrations; <c>Program.cs</c> stays a composition root.</summary>
internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddPlatformStores();
        builder.Services.AddGrpc();
    }
}

namespace McpPlatform.Access.Api.Keys;

/// <summary>Says loudly, at start, when a non-Development deployment hashes keys under the public development pepper.</summary>
internal sealed partial class PepperWarning(KeyHasher hasher, IHostEnvironment host, ILogger<PepperWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (hasher.UsesDevelopmentPepper && !host.IsDevelopment())
        {
            LogDevelopmentPepper(logger, host.EnvironmentName);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(1, LogLevel.Warning, "Access:KeyPepper is the public development default in environment {Environment}: set a long random secret (changing it later invalidates every key)")]
    private static partial void LogDevelopmentPepper(ILogger logger, string environment);
}

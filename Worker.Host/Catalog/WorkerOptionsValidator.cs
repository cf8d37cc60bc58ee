using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace McpPlatform.Worker.Host.Catalog;

/// <summary>Validates the catalog as a whole and lists every problem, so one start-up shows them all.</summary>
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var (key, server) in options.Servers)
        {
            ValidateServer(key, server, problems);
        }

        Require(options.DrainGracePeriod >= TimeSpan.Zero, "Worker:DrainGracePeriod must not be negative.", problems);
        Require(options.MaintenanceInterval > TimeSpan.Zero, "Worker:MaintenanceInterval must be positive.", problems);
        Require(options.WorkspaceCleanupInterval > TimeSpan.Zero, "Worker:WorkspaceCleanupInterval must be positive.", problems);
        Require(options.WorkspaceMaxTotalMb > 0, "Worker:WorkspaceMaxTotalMb must be positive.", problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateServer(string key, ServerDefinition s, List<string> problems)
    {
        var at = $"Worker:Servers:{key}";
        Require(ServerName().IsMatch(key), $"{at}: the name must match {ServerName()} (it appears in URLs and metrics).", problems);
        Require(!string.IsNullOrWhiteSpace(s.Command), $"{at}:Command is required.", problems);
        Require(s.MaxSlots >= 1, $"{at}:MaxSlots must be at least 1.", problems);
        Require(s.MinSlots >= 0 && s.MinSlots <= s.MaxSlots, $"{at}:MinSlots must be between 0 and MaxSlots ({s.MaxSlots}).", problems);
        Require(s.MaxConcurrentCallsPerSlot >= 1, $"{at}:MaxConcurrentCallsPerSlot must be at least 1.", problems);
        Require(s.CallTimeout > TimeSpan.Zero, $"{at}:CallTimeout must be positive.", problems);
        Require(s.InitializeTimeout > TimeSpan.Zero, $"{at}:InitializeTimeout must be positive.", problems);
        Require(s.AcquireTimeout >= TimeSpan.Zero, $"{at}:AcquireTimeout must not be negative.", problems);
        Require(s.IdleTimeout > TimeSpan.Zero, $"{at}:IdleTimeout must be positive.", problems);
        Require(s.RecycleAfterCalls >= 0, $"{at}:RecycleAfterCalls must not be negative (0 = never).", problems);
        Require(s.RecycleAfter >= TimeSpan.Zero, $"{at}:RecycleAfter must not be negative (0 = never).", problems);
        Require(s.MemoryCeilingMb >= 0, $"{at}:MemoryCeilingMb must not be negative (0 = none).", problems);
        Require(s.StopGracePeriod >= TimeSpan.Zero, $"{at}:StopGracePeriod must not be negative.", problems);
        Require(s.MaxLineBytes >= 1024, $"{at}:MaxLineBytes must be at least 1024.", problems);
        Require(s.RestartBackoff > TimeSpan.Zero && s.MaxRestartBackoff >= s.RestartBackoff,
            $"{at}:RestartBackoff must be positive and not above MaxRestartBackoff.", problems);
        Require(ProtocolVersion().IsMatch(s.ProtocolVersion), $"{at}:ProtocolVersion must look like 2025-06-18.", problems);
        Require(s.WorkingDirectoryPolicy != WorkingDirectoryPolicy.Fixed || Path.IsPathFullyQualified(s.WorkingDirectory ?? string.Empty),
            $"{at}:WorkingDirectory must be an absolute path when WorkingDirectoryPolicy is Fixed.", problems);
        Require(s.TenantEnv.Count == 0 || s.Isolation != IsolationMode.Shared,
            $"{at}:TenantEnv needs Isolation Tenant or Session (a shared process serves every tenant).", problems);
    }

    private static void Require(bool condition, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServerName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProtocolVersion();
}

using System.Diagnostics.Metrics;

namespace McpPlatform.Access.Api.Telemetry;

/// <summary>The service's instruments on Meter "McpPlatform.Access".</summary>
internal sealed class AccessMetrics
{
    public const string MeterName = "McpPlatform.Access";

    private readonly Counter<long> _validations;
    private readonly Counter<long> _usageStored;
    private readonly Counter<long> _usageDuplicates;

    public AccessMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _validations = meter.CreateCounter<long>("access.key.validations", "{validation}", "Key validations by result (valid, or the rejection reason).");
        _usageStored = meter.CreateCounter<long>("access.usage.events.stored", "{event}", "Usage events stored.");
        _usageDuplicates = meter.CreateCounter<long>("access.usage.events.duplicates", "{event}", "Usage events ignored because an earlier attempt stored them.");
    }

    public void Validated(string result) => _validations.Add(1, new KeyValuePair<string, object?>("result", result));

    public void UsageStored(int stored, int duplicates)
    {
        _usageStored.Add(stored);
        _usageDuplicates.Add(duplicates);
    }
}

namespace McpPlatform.Worker.Host.Registration;

/// <summary>
/// How this worker introduces itself to Dispatcher.Grpc (section <c>Worker</c>, beside the catalog):
/// <code>
/// "Worker": { "Id": "worker-a", "AdvertisedAddress": "http://10.0.0.7:5081" }
/// </code>
/// The dispatcher's own address is <c>services:dispatcher:grpc:0</c> (AppHost's <c>WithReference</c>).
/// </summary>
public sealed class RegistrationOptions
{
    /// <summary>Stable id of this worker; default the machine name (the container's hostname).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The h2c/https address the dispatcher calls; default <c>Kestrel:Endpoints:grpc:Url</c>, else the first bound address.</summary>
    public string AdvertisedAddress { get; set; } = string.Empty;

    /// <summary>Deadline of each registry call.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait after a failed registration; doubles up to <see cref="MaxRetryBackoff"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between registration attempts.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromSeconds(10);
}

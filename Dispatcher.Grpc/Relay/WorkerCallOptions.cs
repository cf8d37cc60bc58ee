namespace McpPlatform.Dispatcher.Grpc.Relay;

/// <summary>
/// How the dispatcher calls workers for relayed (shared/tenant) calls, section <c>Dispatcher:Worker</c>:
/// <code>
/// "Dispatcher": { "Worker": {
///   "Multiplex": true,      // calls ride Worker.ExecuteMux streams; false: one Worker.Execute RPC per call
///   "StreamsPerWorker": 2   // long-lived ExecuteMux streams per worker address (1 to 64)
/// } }
/// </code>
/// </summary>
public sealed class WorkerCallOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Dispatcher:Worker";

    /// <summary>
    /// Multiplex calls on a few long-lived streams per worker (default true): a call costs a few frames instead of an
    /// HTTP/2 stream with its request setup on both sides. False falls back to one Execute RPC per call.
    /// </summary>
    public bool Multiplex { get; set; } = true;

    /// <summary>Long-lived streams per worker address (default 2), so reading and writing frames is not one core's job.</summary>
    public int StreamsPerWorker { get; set; } = 2;
}

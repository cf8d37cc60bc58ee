using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Multiplexing;

/// <summary>
/// The statuses the multiplexer gives calls it ends itself, worded so a caller can tell "nothing reached the server,
/// retrying elsewhere is safe" (the call was never started) from "the stream broke mid-call" (it may have run).
/// </summary>
public static class MuxStatus
{
    /// <summary>Starts the detail of an UNAVAILABLE status for a call the server never started.</summary>
    public const string NotStartedPrefix = "The call was not started: ";

    /// <summary>True when the call certainly did not run: the connection could not be opened, or the server refused or never read the start.</summary>
    public static bool IsNotStarted(Status status) =>
        status.StatusCode == StatusCode.Unavailable
        && (status.Detail.StartsWith(NotStartedPrefix, StringComparison.Ordinal) || status.Detail.StartsWith("Error connecting", StringComparison.Ordinal));

    /// <summary>UNAVAILABLE for a call the server never started (safe to retry on another server).</summary>
    public static Status NotStarted(string why) => new(StatusCode.Unavailable, NotStartedPrefix + why);

    /// <summary>
    /// What the pending calls of a broken stream get: a connect failure passes through unchanged (nothing reached the
    /// server); anything else becomes UNAVAILABLE naming the stream's own status (the calls may have run).
    /// </summary>
    public static Status Broken(Status stream) => stream.StatusCode == StatusCode.Unavailable
        ? stream
        : new Status(StatusCode.Unavailable, $"The multiplexed stream broke ({stream.StatusCode}: {stream.Detail}); the call may or may not have run.");
}

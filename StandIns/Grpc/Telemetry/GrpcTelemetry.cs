using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;

namespace McpPlatform.StandIns.Grpc.Telemetry;

/// <summary>
/// The "McpPlatform.Grpc" activity source and meter: a span per call with OpenTelemetry's <c>rpc.*</c>
/// attributes, and call-duration histograms tagged with the status code (which also count calls by status).
/// </summary>
internal static class GrpcTelemetry
{
    public const string Name = "McpPlatform.Grpc";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> ServerDuration = Meter.CreateHistogram<double>(
        "rpc.server.call.duration", "s", "Duration of gRPC calls served, tagged with rpc.grpc.status_code.");

    public static readonly Histogram<double> ClientDuration = Meter.CreateHistogram<double>(
        "rpc.client.call.duration", "s", "Duration of gRPC calls made, tagged with rpc.grpc.status_code.");

    public static Activity? StartActivity(IMethod method, ActivityKind kind, ActivityContext parent = default)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(method.ServiceName + "/" + method.Name, kind, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", method.ServiceName);
            activity.SetTag("rpc.method", method.Name);
        }

        return activity;
    }

    public static void Stop(Activity? activity, Histogram<double> duration, IMethod method, long startTimestamp, Status status)
    {
        if (activity is not null)
        {
            activity.SetTag("rpc.grpc.status_code", (int)status.StatusCode);
            if (status.StatusCode != StatusCode.OK)
            {
                activity.SetStatus(ActivityStatusCode.Error, status.Detail);
            }

            activity.Dispose();
        }

        if (duration.Enabled)
        {
            var tags = new TagList
            {
                { "rpc.system", "grpc" },
                { "rpc.service", method.ServiceName },
                { "rpc.method", method.Name },
                { "rpc.grpc.status_code", (int)status.StatusCode },
            };
            duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        }
    }
}

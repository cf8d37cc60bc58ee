using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace McpPlatform.ServiceDefaults.Logging;

/// <summary>
/// One JSON object per line on standard output, with the trace and span ids of the current
/// activity, so logs can be joined to traces and read by CloudWatch or any collector as they are.
/// </summary>
public static class LoggingExtensions
{
    /// <summary>Replaces the console formatter with the JSON one and adds activity ids to every entry.</summary>
    public static IHostApplicationBuilder ConfigureJsonLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.Configure(options => options.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        builder.Logging.AddJsonConsole(options =>
        {
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            options.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
        return builder;
    }
}

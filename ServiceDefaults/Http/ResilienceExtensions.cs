using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace McpPlatform.ServiceDefaults.Http;

/// <summary>
/// The stand-in for Microsoft.Extensions.Http.Resilience's standard handler, on Polly.Core:
/// total timeout, retry with jittered exponential backoff (idempotent methods only), circuit
/// breaker, attempt timeout.
/// </summary>
public static class ResilienceExtensions
{
    /// <summary>Adds the platform's resilience pipeline to an HTTP client.</summary>
    public static IHttpClientBuilder AddPlatformResilience(this IHttpClientBuilder builder)
    {
        builder.Services.AddOptions<PlatformResilienceOptions>()
            .BindConfiguration("Resilience")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddSingleton(sp => BuildPipeline(sp.GetRequiredService<IOptions<PlatformResilienceOptions>>().Value));
        builder.Services.TryAddTransient<ResilienceHandler>();
        return builder.AddHttpMessageHandler<ResilienceHandler>();
    }

    internal static ResiliencePipeline<HttpResponseMessage> BuildPipeline(PlatformResilienceOptions options)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddTimeout(options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                ShouldHandle = args => new ValueTask<bool>(
                    options.MaxRetries > 0 && ResilienceHandler.IsRetryable(args.Context) && IsTransient(args.Outcome)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose(); // the discarded response would otherwise hold its connection
                    return default;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = options.BreakerFailureRatio,
                SamplingDuration = options.BreakerSamplingDuration,
                MinimumThroughput = 20,
                ShouldHandle = args => new ValueTask<bool>(IsTransient(args.Outcome)),
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome.Exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        null => outcome.Result is { } response
                && ((int)response.StatusCode >= 500 || (int)response.StatusCode is 408 or 429),
        _ => false,
    };
}

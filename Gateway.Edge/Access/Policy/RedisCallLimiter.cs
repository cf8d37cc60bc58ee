using System.Collections.Concurrent;
using McpPlatform.Gateway.Edge.Access.Options;
using McpPlatform.Redis;
using McpPlatform.Stores;
using Microsoft.Extensions.Options;

namespace McpPlatform.Gateway.Edge.Access.Policy;

/// <summary>
/// Rate limit and monthly quota shared by every replica through Redis (<see cref="CallLimitScripts"/>), taken in
/// allotments: one script call reserves a chunk of permits and units for a subject, and this replica's calls of that
/// subject take from it in memory (<see cref="Allotment"/>) until it is used up or its window ends. What is reserved is
/// counted in Redis before any of it is handed out, so replicas together never let through more than the limits
/// (permits are dropped at the window's end; units are given back, see <see cref="SweepAsync"/>).
/// A refusal always comes from the script, so "which limit, and retry when" is exactly what it was per call.
/// </summary>
internal sealed partial class RedisCallLimiter : ICallLimiter
{
    private const int GiveBackBatch = 256;
    private readonly ConcurrentDictionary<AllotmentKey, Allotment> _allotments = new();
    private readonly RedisDatabase _db;
    private readonly string _rate;
    private readonly string _quota;
    private readonly LimitOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisCallLimiter> _logger;
    private readonly long _window;
    private readonly long _idle;

    public RedisCallLimiter(RedisMultiplexer redis, IOptions<StoreOptions> stores, IOptions<AccessOptions> access, TimeProvider time, ILogger<RedisCallLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(redis);
        _db = redis.GetDatabase();
        _rate = stores.Value.KeyPrefix + "rl:";
        _quota = stores.Value.KeyPrefix + "quota:";
        _options = access.Value.Limits;
        _time = time;
        _logger = logger;
        _window = (long)(_options.AllotmentWindow.TotalSeconds * time.TimestampFrequency);
        _idle = _window * 10;
    }

    /// <summary>The allotment window: how often <see cref="AllotmentReturner"/> sweeps.</summary>
    public TimeSpan Window => _options.AllotmentWindow;

    public async ValueTask<LimitDecision> AcquireAsync(CallLimits limits, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = AllotmentKey.From(limits);
        while (true)
        {
            var allotment = _allotments.GetOrAdd(key, static (key, state) => state.Limiter.Create(key, state.Limits), (Limiter: this, Limits: limits));
            var step = allotment.Next(_time.GetTimestamp());
            switch (step.Kind)
            {
                case AllotmentStepKind.Taken:
                    return step.Decision;
                case AllotmentStepKind.Reserve:
                    // The reservation is shared by the callers waiting for it: it runs to its end (bounded by the
                    // client's command timeout) even if this request is cancelled.
                    if (await ReserveAsync(allotment, step.Request, limits).WaitAsync(cancellationToken).ConfigureAwait(false) is { } decided)
                    {
                        return decided;
                    }

                    break;
                case AllotmentStepKind.Wait:
                    var flight = await step.Flight!.WaitAsync(cancellationToken).ConfigureAwait(false);
                    flight.Error?.Throw();
                    if (flight.Refused)
                    {
                        return flight.Decision;
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// Gives back the units of allotments past their window (all of them when <paramref name="all"/>, at shutdown) in
    /// one script call per 256 counters, and drops allotments idle for ten windows. Best effort: when Redis fails the
    /// units stay counted (at most one chunk per subject this replica was serving), logged.
    /// </summary>
    public async Task SweepAsync(bool all, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        List<(string Key, long Units)>? giveBack = null;
        foreach (var (key, allotment) in _allotments)
        {
            if (allotment.Sweep(now, _idle, all, out var units))
            {
                _allotments.TryRemove(new KeyValuePair<AllotmentKey, Allotment>(key, allotment));
            }

            if (units > 0)
            {
                (giveBack ??= []).Add((allotment.QuotaKey, units));
            }
        }

        for (var start = 0; giveBack is not null && start < giveBack.Count; start += GiveBackBatch)
        {
            var batch = giveBack.GetRange(start, Math.Min(GiveBackBatch, giveBack.Count - start));
            try
            {
                await _db.ScriptEvaluateAsync(CallLimitScripts.GiveBack, batch.ConvertAll(b => b.Key), batch.ConvertAll(b => (RedisValue)b.Units), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                GiveBackFailed(_logger, batch.Sum(b => b.Units), batch.Count, exception.Message);
            }
        }
    }

    private Allotment Create(AllotmentKey key, CallLimits limits)
    {
        var permits = 1;
        if (_options.Allotments && key.Rate is { } rate)
        {
            permits = (int)Math.Clamp(Math.Floor(rate.PermitsPerSecond * _options.AllotmentWindow.TotalSeconds / 2), 1, _options.MaxAllotment);
        }

        var units = !_options.Allotments ? 1 : key.Rate is null ? _options.MaxAllotment : permits;
        var quotaKey = $"{_quota}{limits.QuotaSubject}:{QuotaPeriod.Name(limits.Now)}";
        return new Allotment(key, _rate + limits.RateSubject, quotaKey, permits, units, _window, _time.GetTimestamp());
    }

    private async Task<LimitDecision?> ReserveAsync(Allotment allotment, AllotmentRequest request, CallLimits limits)
    {
        try
        {
            var rate = allotment.Key.Rate;
            var emission = rate is { } policy ? 1_000_000d / policy.PermitsPerSecond : 0d;

            // A chunk used up to a window after it was taken keeps a window's worth of rate free in the bucket: then
            // no interval ever sees more than GCRA allows (burst + rate × its length).
            var headroom = rate is { } r && request.Permits > 1 ? (long)Math.Ceiling(r.PermitsPerSecond * _options.AllotmentWindow.TotalSeconds) : 0;
            var expiry = QuotaPeriod.ResetsAt(limits.Now).AddDays(1).ToUnixTimeMilliseconds();
            var reply = await _db.ScriptEvaluateAsync(
                CallLimitScripts.Reserve,
                [allotment.RateKey, allotment.QuotaKey],
                [emission, rate?.Burst ?? 1, request.Permits, headroom, allotment.Key.QuotaLimit, request.Units, request.UnitsRequired ? 1 : 0, request.Release, expiry],
                CancellationToken.None).ConfigureAwait(false);
            return allotment.Complete(request, _time.GetTimestamp(), (LimitOutcome)reply[0].ToInt64(), TimeSpan.FromMicroseconds(reply[1].ToInt64()), reply[2].ToInt64(), reply[3].ToInt64(), reply[4].ToInt64());
        }
        catch (Exception exception)
        {
            allotment.Fail(request, exception);
            throw;
        }
    }

    [LoggerMessage(30, LogLevel.Warning, "Giving back {Units} unused quota units of {Counters} counters failed ({Error}); they stay counted this month")]
    private static partial void GiveBackFailed(ILogger logger, long units, int counters, string error);
}

namespace McpPlatform.Access.Api.Tests.Infrastructure;

/// <summary>A clock that stands still at the real time it was created at until a test moves it (timers still run in real time).</summary>
public sealed class ManualTime : TimeProvider
{
    // Whole microseconds, as PostgreSQL stores them, so times read back compare equal.
    private DateTimeOffset _now = new(DateTime.UtcNow.Ticks / 10 * 10, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

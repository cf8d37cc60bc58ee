namespace McpPlatform.Bench.Gateway.Scenarios;

/// <summary>Sizes of every scenario; <see cref="Quick"/> is a smoke run of the same steps.</summary>
public sealed record ScenarioOptions
{
    public int Rounds { get; init; } = 3;
    public int SetupSessions { get; init; } = 20;
    public int SequentialWarmup { get; init; } = 300;
    public int SequentialCalls { get; init; } = 1500;
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(6);
    public int[] Concurrency { get; init; } = [16, 64];
    public int[] MemorySessions { get; init; } = [1, 10, 50];
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static ScenarioOptions Quick { get; } = new()
    {
        Rounds = 1,
        SetupSessions = 6,
        SequentialWarmup = 50,
        SequentialCalls = 300,
        Warmup = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromSeconds(2),
    };
}

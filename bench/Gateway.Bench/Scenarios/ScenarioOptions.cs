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
    /// <summary>Issue 6's paired measurement: A B pairs of slices per concurrency, and each slice's measured time.</summary>
    public int AuthRatioPairs { get; init; } = 6;
    public TimeSpan AuthRatioSlice { get; init; } = TimeSpan.FromSeconds(2);

    public static ScenarioOptions Quick { get; } = new()
    {
        Rounds = 1,
        SetupSessions = 6,
        SequentialWarmup = 50,
        SequentialCalls = 300,
        Warmup = TimeSpan.FromSeconds(1),
        Duration = TimeSpan.FromSeconds(2),
        AuthRatioPairs = 2,
        AuthRatioSlice = TimeSpan.FromSeconds(1),
    };
}

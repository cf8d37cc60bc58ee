using McpPlatform.Bench.Gateway.Client;

namespace McpPlatform.Bench.Gateway.Measurement;

/// <summary>Outcomes of calls counted by status, with the first few failures kept for the report.</summary>
public sealed class Tally
{
    private long _ok, _wrong, _error, _lost;
    private readonly List<string> _samples = [];

    public long Ok => Interlocked.Read(ref _ok);

    public long Wrong => Interlocked.Read(ref _wrong);

    public long Errors => Interlocked.Read(ref _error);

    public long Lost => Interlocked.Read(ref _lost);

    public long Total => Ok + Wrong + Errors + Lost;

    /// <summary>Up to five distinct failure descriptions.</summary>
    public IReadOnlyList<string> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public void Add(CallOutcome outcome)
    {
        switch (outcome.Status)
        {
            case CallStatus.Ok:
                Interlocked.Increment(ref _ok);
                return;
            case CallStatus.Wrong:
                Interlocked.Increment(ref _wrong);
                break;
            case CallStatus.Error:
                Interlocked.Increment(ref _error);
                break;
            default:
                Interlocked.Increment(ref _lost);
                break;
        }
        lock (_samples)
        {
            var text = outcome.ToString();
            if (_samples.Count < 5 && !_samples.Contains(text))
            {
                _samples.Add(text);
            }
        }
    }

    public void Add(Tally other)
    {
        Interlocked.Add(ref _ok, other.Ok);
        Interlocked.Add(ref _wrong, other.Wrong);
        Interlocked.Add(ref _error, other.Errors);
        Interlocked.Add(ref _lost, other.Lost);
        lock (_samples)
        {
            foreach (var sample in other.Samples.Where(s => _samples.Count < 5 && !_samples.Contains(s)))
            {
                _samples.Add(sample);
            }
        }
    }
}

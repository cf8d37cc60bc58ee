namespace McpPlatform.ConformanceServer;

/// <summary>Tiny binary fixtures: a 1x1 red PNG and a 10 ms silent 8 kHz mono WAV, base64-encoded.</summary>
internal static class Fixtures
{
    public const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

    public static readonly string WavBase64 = "UklGRsQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YaAAAAA" + new string('A', 213);
}

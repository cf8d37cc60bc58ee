namespace McpPlatform.Hosting.Processes;

/// <summary>What to run: a program, its arguments, where, with which environment and as whom.</summary>
/// <param name="FileName">The program (a path or a name on PATH).</param>
/// <param name="Arguments">Its arguments, passed as they are (no shell).</param>
/// <param name="WorkingDirectory">The directory it starts in.</param>
/// <param name="Environment">Variables to set (a null value removes an inherited one).</param>
/// <param name="RunAsUser">An unprivileged user to switch to (only when the orchestrator runs as root).</param>
public sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment,
    string? RunAsUser = null);

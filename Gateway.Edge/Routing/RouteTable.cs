using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace McpPlatform.Gateway.Edge.Routing;

/// <summary>
/// Holds the route table. The start-up table was validated by ValidateOnStart; a configuration
/// reload is bound and validated here, and a table with any problem is refused with every problem
/// logged, so a bad edit never takes the routes away from a running edge.
/// </summary>
internal sealed partial class RouteTable : IRouteTable, IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly ILogger<RouteTable> _logger;
    private readonly IOptions<RoutingOptions> _options;
    private readonly IDisposable _subscription;
    private volatile IReadOnlyList<EdgeRoute>? _routes;

    public RouteTable(IOptions<RoutingOptions> options, IConfiguration configuration, ILogger<RouteTable> logger)
    {
        _options = options;
        _configuration = configuration;
        _logger = logger;
        // IOptionsMonitor would throw from the reload callback on an invalid table; binding here lets us keep the last good one.
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
    }

    // Read on first use, not in the constructor: the host resolves its hosted services (and so this)
    // before start-up validation, which must be the one to report a bad table, with every other problem.
    public IReadOnlyList<EdgeRoute> Routes => _routes ??= Compile(_options.Value);

    public event Action? Changed;

    public void Dispose() => _subscription.Dispose();

    private void Reload()
    {
        var candidate = new RoutingOptions();
        _configuration.GetSection(RoutingOptions.SectionName).Bind(candidate);
        var problems = RoutingOptionsValidator.Problems(candidate);
        if (problems.Count > 0)
        {
            LogReloadRejected(_logger, problems.Count, string.Join(" ", problems));
            return;
        }
        var routes = Compile(candidate);
        if (_routes is { } current && Same(routes, current))
        {
            return;
        }
        _routes = routes;
        LogReloaded(_logger, routes.Length);
        Changed?.Invoke();
    }

    private static EdgeRoute[] Compile(RoutingOptions options) =>
        options.Routes.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => EdgeRoute.From(r.Key, r.Value)).ToArray();

    private static bool Same(IReadOnlyList<EdgeRoute> a, IReadOnlyList<EdgeRoute> b) =>
        a.Count == b.Count && a.Zip(b).All(p =>
            p.First.Id == p.Second.Id && p.First.Pattern.RawText == p.Second.Pattern.RawText && p.First.Service == p.Second.Service
            && p.First.Endpoint == p.Second.Endpoint && p.First.ActivityTimeout == p.Second.ActivityTimeout);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Error, Message = "The reloaded route table has {ProblemCount} problem(s) and was not applied; the previous table stays in force. {Problems}")]
    private static partial void LogReloadRejected(ILogger logger, int problemCount, string problems);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Route table reloaded: {RouteCount} route(s)")]
    private static partial void LogReloaded(ILogger logger, int routeCount);
}

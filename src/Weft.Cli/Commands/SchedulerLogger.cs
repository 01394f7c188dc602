using Microsoft.Extensions.Logging;

namespace Weft.Cli.Commands;

/// <summary>
/// The scheduler's log on stderr, one line per entry with a UTC time: information and up, debug too with
/// <c>--verbose</c>, nothing below warnings with <c>--quiet</c>.
/// </summary>
internal sealed class SchedulerLogger(TextWriter error, LogLevel minimum) : ILogger
{
    private readonly Lock _gate = new();

    public static SchedulerLogger For(CliContext context) =>
        new(context.Error, context.Verbose ? LogLevel.Debug : context.Quiet ? LogLevel.Warning : LogLevel.Information);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var level = logLevel switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            _ => "",
        };
        var line = $"{DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} weft: {level}{formatter(state, exception)}";
        lock (_gate)
        {
            error.WriteLine(line);
            if (exception is not null && minimum <= LogLevel.Debug)
            {
                error.WriteLine(exception.ToString());
            }

            error.Flush();
        }
    }
}

/// <summary>The scheduler command's own log lines.</summary>
internal static class SchedulerLog
{
    public static void LogSchedulerStarted(this ILogger logger, string dagsFolder, string database, bool executes) =>
        logger.LogInformation(
            "scheduler started: DAGs folder {DagsFolder}, database {Database}, {Mode}",
            dagsFolder, database, executes ? "executing runs in this process" : "not executing runs (--no-executor)");
}

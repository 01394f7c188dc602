using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Weft.Hosting;

/// <summary>Checks <see cref="WeftOptions"/> when the host starts, so a bad setting stops it with a clear message.</summary>
internal sealed partial class WeftOptionsValidator : IValidateOptions<WeftOptions>
{
    public ValidateOptionsResult Validate(string? name, WeftOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.PostgreSql) && string.IsNullOrWhiteSpace(options.Database))
        {
            failures.Add("Weft:Database (a SQLite file) or Weft:PostgreSql (a connection string) must be set");
        }

        if (string.IsNullOrWhiteSpace(options.Home))
        {
            failures.Add("Weft:Home must be set");
        }

        if (options.MaxActiveRuns < 1)
        {
            failures.Add($"Weft:MaxActiveRuns must be at least 1 (got {options.MaxActiveRuns})");
        }

        if (options.Parallelism < 0)
        {
            failures.Add($"Weft:Parallelism must be 0 (no limit) or more (got {options.Parallelism})");
        }

        if (options.PollInterval <= TimeSpan.Zero || options.WaitPollInterval <= TimeSpan.Zero)
        {
            failures.Add("Weft:PollInterval and Weft:WaitPollInterval must be positive");
        }

        if (options.ShutdownGracePeriod < TimeSpan.Zero)
        {
            failures.Add("Weft:ShutdownGracePeriod must not be negative");
        }

        if (options.WorkerConcurrency < 1)
        {
            failures.Add($"Weft:WorkerConcurrency must be at least 1 (got {options.WorkerConcurrency})");
        }

        foreach (var queue in options.Queues.Where(q => !QueueName().IsMatch(q ?? "")))
        {
            failures.Add($"Weft:Queues: invalid queue name '{queue}': use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The rule of weft worker --queues.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,249}$")]
    private static partial Regex QueueName();
}

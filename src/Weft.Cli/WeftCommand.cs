using System.CommandLine;

namespace Weft.Cli;

/// <summary>
/// Base of every command that does something: subclasses declare their arguments and options in the
/// constructor and implement <see cref="ExecuteAsync"/>, which returns an exit code (see <see cref="ExitCodes"/>)
/// or throws <see cref="CliException"/>. Any other exception becomes exit 3 in <see cref="WeftCli"/>.
/// </summary>
internal abstract class WeftCommand : Command
{
    protected WeftCommand(string name, string description)
        : base(name, description)
    {
        SetAction((parseResult, cancellationToken) => ExecuteAsync(new CliContext(parseResult), cancellationToken));
    }

    protected abstract Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken);
}

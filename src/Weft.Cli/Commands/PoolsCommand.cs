using System.CommandLine;

namespace Weft.Cli.Commands;

/// <summary><c>weft pools</c>: pools limit how many task instances of any DAG use a resource at once.</summary>
internal sealed class PoolsCommand : Command
{
    public PoolsCommand()
        : base("pools", "Create, resize and list pools")
    {
        Subcommands.Add(new PoolsSetCommand());
        Subcommands.Add(new PoolsListCommand());
    }
}

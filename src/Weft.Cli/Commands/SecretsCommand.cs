using System.CommandLine;
using Weft.Engine.Json;
using Weft.Engine.Secrets;
using Weft.Server.Api;

namespace Weft.Cli.Commands;

/// <summary><c>weft secrets set|list|delete</c>: the secret store, encrypted with the key file under the home folder.</summary>
internal sealed class SecretsCommand : Command
{
    public SecretsCommand()
        : base("secrets", "Manage secrets, used in DAGs as ${{ secrets.NAME }} and masked as *** in logs")
    {
        Subcommands.Add(new SecretsSetCommand());
        Subcommands.Add(new SecretsListCommand());
        Subcommands.Add(new SecretsDeleteCommand());
    }

    internal static Argument<string> NameArgument() => new("NAME")
    {
        Description = "The secret's name",
        Validators =
        {
            r =>
            {
                if (r.Tokens.Count == 1 && !RouteIds.Id().IsMatch(r.Tokens[0].Value))
                {
                    r.AddError("NAME must be letters, digits, '_', '.' or '-', starting with a letter or digit");
                }
            },
        },
    };
}

/// <summary><c>weft secrets set NAME [--value V]</c>; without <c>--value</c> the value is read from stdin.</summary>
internal sealed class SecretsSetCommand : WeftCommand
{
    private readonly Argument<string> _name = SecretsCommand.NameArgument();

    private readonly Option<string?> _value = new("--value")
    {
        Description = "The value; prefer stdin, as a command line is visible to other users of the machine",
        HelpName = "VALUE",
    };

    public SecretsSetCommand()
        : base("set", "Create or replace a secret; the value is read from stdin unless --value is given")
    {
        Arguments.Add(_name);
        Options.Add(_value);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var name = context.ParseResult.GetRequiredValue(_name);
        var value = context.ParseResult.GetValue(_value);
        if (value is null)
        {
            value = await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            // `echo VALUE | weft secrets set NAME` adds a newline that is not part of the secret.
            value = value.EndsWith("\r\n", StringComparison.Ordinal) ? value[..^2] : value.EndsWith('\n') ? value[..^1] : value;
        }

        if (value.Length == 0)
        {
            throw CliException.Usage("the secret's value is empty", "give it on stdin or with --value");
        }

        var (state, access) = await ServerStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using (state.ConfigureAwait(false))
        {
            var vault = await SecretVault.OpenAsync(access, context.Home, cancellationToken).ConfigureAwait(false);
            await vault.SetAsync(name, value, cancellationToken).ConfigureAwait(false);
            context.WriteInfo($"secret '{name}' set");
        }

        return ExitCodes.Success;
    }
}

/// <summary><c>weft secrets list</c>: names and dates, never values.</summary>
internal sealed class SecretsListCommand : WeftCommand
{
    public SecretsListCommand()
        : base("list", "List secrets by name (values are never shown)")
    {
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var (state, access) = await ServerStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using (state.ConfigureAwait(false))
        {
            var secrets = await access.ListSecretsAsync(cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                context.WriteJson(secrets.Select(s => new SecretJson(s.Name, RunJson.Time(s.UpdatedAt))).ToList());
                return ExitCodes.Success;
            }

            foreach (var s in secrets)
            {
                context.Out.WriteLine($"{s.Name,-32} {s.UpdatedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
            }
        }

        return ExitCodes.Success;
    }

    internal sealed record SecretJson(string Name, string UpdatedAt);
}

/// <summary><c>weft secrets delete NAME</c>.</summary>
internal sealed class SecretsDeleteCommand : WeftCommand
{
    private readonly Argument<string> _name = SecretsCommand.NameArgument();

    public SecretsDeleteCommand()
        : base("delete", "Delete a secret")
    {
        Arguments.Add(_name);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var name = context.ParseResult.GetRequiredValue(_name);
        var (state, access) = await ServerStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using (state.ConfigureAwait(false))
        {
            if (!await access.DeleteSecretAsync(name, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException(ExitCodes.Failed, $"no secret '{name}'", "list secrets with 'weft secrets list'");
            }

            context.WriteInfo($"secret '{name}' deleted");
        }

        return ExitCodes.Success;
    }
}

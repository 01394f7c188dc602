using System.CommandLine;
using Weft.Engine.Json;
using Weft.Server.Api;
using Weft.Server.Auth;

namespace Weft.Cli.Commands;

/// <summary><c>weft tokens create|list|revoke</c>: API tokens, printed once and stored as SHA-256 hashes.</summary>
internal sealed class TokensCommand : Command
{
    public TokensCommand()
        : base("tokens", "Manage API tokens (roles: viewer reads; operator also acts; author also uploads DAGs; admin also manages tokens, pools and secrets)")
    {
        Subcommands.Add(new TokensCreateCommand());
        Subcommands.Add(new TokensListCommand());
        Subcommands.Add(new TokensRevokeCommand());
    }
}

/// <summary><c>weft tokens create --name N --role viewer|operator|author|admin</c>.</summary>
internal sealed class TokensCreateCommand : WeftCommand
{
    private readonly Option<string> _name = new("--name") { Description = "The token's name", HelpName = "NAME", Required = true };

    private readonly Option<string> _role = new("--role") { Description = "viewer, operator, author or admin", HelpName = "ROLE", Required = true };

    public TokensCreateCommand()
        : base("create", "Create a token and print it; it is shown only this once")
    {
        Options.Add(_name);
        Options.Add(_role);
        _role.AcceptOnlyFromAmong([.. Roles.All]);
        _name.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } n && !RouteIds.Id().IsMatch(n))
            {
                r.AddError("--name must be letters, digits, '_', '.' or '-', starting with a letter or digit");
            }
        });
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var name = context.ParseResult.GetRequiredValue(_name);
        var role = context.ParseResult.GetRequiredValue(_role);
        var (state, access) = await ServerStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using (state.ConfigureAwait(false))
        {
            var token = await ApiTokens.CreateAsync(access, name, role, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false)
                ?? throw CliException.Usage($"a token named '{name}' exists", "pick another name: a name stays taken after its token is revoked ('weft tokens list' shows them all)");
            if (context.Json)
            {
                context.WriteJson(new CreatedTokenJson(name, role, token));
            }
            else
            {
                context.Out.WriteLine(token);
                if (!context.Quiet)
                {
                    context.Error.WriteLine($"Created {role} token '{name}'. It is shown only now; use it as 'Authorization: Bearer TOKEN'.");
                }
            }
        }

        return ExitCodes.Success;
    }

    internal sealed record CreatedTokenJson(string Name, string Role, string Token);
}

/// <summary><c>weft tokens list</c>.</summary>
internal sealed class TokensListCommand : WeftCommand
{
    public TokensListCommand()
        : base("list", "List tokens: name, role, created, last used, revoked (never the token itself)")
    {
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var (state, access) = await ServerStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using (state.ConfigureAwait(false))
        {
            var tokens = await access.ListTokensAsync(cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                // Times as the run JSON and the API write them (UTC, milliseconds, Z).
                context.WriteJson(tokens.Select(t => new TokenJson(
                    t.Name,
                    t.Role,
                    RunJson.Time(t.CreatedAt),
                    t.LastUsedAt is { } used ? RunJson.Time(used) : null,
                    t.RevokedAt is { } revoked ? RunJson.Time(revoked) : null)).ToList());
                return ExitCodes.Success;
            }

            context.Out.WriteLine($"{"NAME",-24} {"ROLE",-9} {"CREATED",-20} {"LAST USED",-20} STATUS");
            foreach (var t in tokens)
            {
                context.Out.WriteLine($"{t.Name,-24} {t.Role,-9} {Time(t.CreatedAt),-20} {Time(t.LastUsedAt),-20} {(t.RevokedAt is null ? "active" : "revoked " + Time(t.RevokedAt))}");
            }
        }

        return ExitCodes.Success;
    }

    private static string Time(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) : "-";

    internal sealed record TokenJson(string Name, string Role, string CreatedAt, string? LastUsedAt, string? RevokedAt);
}

/// <summary><c>weft tokens revoke NAME</c>.</summary>
internal sealed class TokensRevokeCommand : WeftCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "The token's name" };

    public TokensRevokeCommand()
        : base("revoke", "Revoke a token; requests with it get 401 from then on")
    {
        Arguments.Add(_name);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var name = context.ParseResult.GetRequiredValue(_name);
        var (state, access) = await ServerStores.OpenAsync(context, cancellationToken).ConfigureAwait(false);
        await using (state.ConfigureAwait(false))
        {
            if (!await access.RevokeTokenAsync(name, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException(ExitCodes.Failed, $"no active token '{name}'", "list tokens with 'weft tokens list'");
            }

            context.WriteInfo($"revoked token '{name}'");
        }

        return ExitCodes.Success;
    }
}

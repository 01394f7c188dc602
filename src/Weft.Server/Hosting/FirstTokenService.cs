using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Weft.Server.Auth;

namespace Weft.Server.Hosting;

/// <summary>
/// On a first start (no active token in the database) creates an admin token and, once the server listens,
/// prints a login URL with it. The token's text is never stored; this is the only time it is shown.
/// </summary>
internal sealed class FirstTokenService(
    ServerEnvironment environment,
    IOptions<ServerOptions> options,
    IServer server,
    IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>The token created at this start, or null.</summary>
    public string? Token { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateFirstToken || (await environment.Access.ListActiveTokensAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        var taken = (await environment.Access.ListTokensAsync(cancellationToken)).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var name = "admin";
        for (var i = 2; taken.Contains(name); i++)
        {
            name = $"admin-{i}";
        }

        Token = await ApiTokens.CreateAsync(environment.Access, name, Roles.Admin, environment.Time.GetUtcNow(), cancellationToken);
        lifetime.ApplicationStarted.Register(Print);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Value.Urls.Split(';')[0];
        var url = address.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
        environment.Console.WriteLine("An admin API token was created (it is shown only now). Log in at:");
        environment.Console.WriteLine($"  {url}/?token={Token}");
        environment.Console.WriteLine($"or call the API with:  curl -H 'Authorization: Bearer {Token}' {url}/api/v1/dags");
        environment.Console.Flush();
    }
}

using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Weft.Server.Auth;

namespace Weft.Server.Hosting;

/// <summary>
/// On the first start (no token in the database, active or revoked) creates an admin token and prints a login URL
/// with it. Later starts never mint one: when no active admin token is left, one line says how to make one. Runs once
/// the listener is bound, so a server that cannot listen creates nothing; the token's text is never stored, and this
/// is the only time it is shown.
/// </summary>
internal sealed class FirstTokenService(
    ServerEnvironment environment,
    IOptions<ServerOptions> options,
    IServer server) : IHostedLifecycleService
{
    /// <summary>The token created at this start, or null.</summary>
    public string? Token { get; private set; }

    // The host calls this after every hosted service's StartAsync, the web server's included: the port is bound.
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateFirstToken)
        {
            return;
        }

        var tokens = await environment.Access.ListTokensAsync(cancellationToken).ConfigureAwait(false);
        if (tokens.Count > 0)
        {
            if (!tokens.Any(t => t.RevokedAt is null && t.Role == Roles.Admin))
            {
                environment.Console.WriteLine("weft server: no active admin token; create one with 'weft tokens create --name NAME --role admin'");
                environment.Console.Flush();
            }

            return;
        }

        Token = await ApiTokens.CreateAsync(environment.Access, "admin", Roles.Admin, environment.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (Token is null)
        {
            // Another process created the first token between the read and the write; it has shown its own.
            return;
        }

        var url = LoginBase();
        // In the fragment, which browsers never send, so the token cannot reach a request log or a proxy.
        environment.Console.WriteLine("An admin API token was created (it is shown only now). Log in at:");
        environment.Console.WriteLine($"  {url}/#token={Token}");
        environment.Console.WriteLine($"or call the API with:  curl -H 'Authorization: Bearer {Token}' {url}/api/v1/dags");
        environment.Console.Flush();
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string LoginBase()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Value.Urls.Split(';')[0];
        return address.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}

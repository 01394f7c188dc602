using Microsoft.Extensions.Hosting;
using Weft.Engine.Storage;

namespace Weft.Server.Hosting;

/// <summary>
/// What the server is given by whoever starts it (the <c>weft server</c> command, a test): the opened stores, the
/// home and DAGs folders, where to print the login URL, and any extra hosted services (a scheduler loop).
/// </summary>
internal sealed class ServerEnvironment
{
    /// <summary>Weft's home folder: logs, the secret key.</summary>
    public required string Home { get; init; }

    /// <summary>The DAGs folder, registered at start and rescanned.</summary>
    public required string DagsFolder { get; init; }

    /// <summary>The state store, initialized; the server does not dispose it.</summary>
    public required IStateStore Store { get; init; }

    /// <summary>Tokens and secrets; usually the same object as <see cref="Store"/>.</summary>
    public required IAccessStore Access { get; init; }

    /// <summary>Where the first-start login URL is printed.</summary>
    public TextWriter Console { get; init; } = TextWriter.Null;

    /// <summary>
    /// Extra hosted services started with the server, after its own: the place for a scheduler loop. Each is
    /// created from the server's services.
    /// </summary>
    public IReadOnlyList<Func<IServiceProvider, IHostedService>> HostedServices { get; init; } = [];

    /// <summary>The clock; tests pass a fake one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

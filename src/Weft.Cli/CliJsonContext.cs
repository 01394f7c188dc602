using System.Text.Json.Serialization;
using Weft.Cli.Commands;
using Weft.Cli.Rendering;

namespace Weft.Cli;

/// <summary>
/// Serialization code, generated at build time, for every shape the CLI writes with <c>--json</c>: the native
/// executable has no reflection-based serializer. <see cref="CliJson.Options"/> adds the naming and encoding.
/// </summary>
[JsonSerializable(typeof(PlanReport))]
[JsonSerializable(typeof(DagsNextRunsCommand.NextRuns))]
[JsonSerializable(typeof(GraphCommand.GraphJson))]
[JsonSerializable(typeof(DagsShowCommand.DagDetails))]
[JsonSerializable(typeof(DagsListCommand.DagListJson))]
[JsonSerializable(typeof(ValidateCommand.ValidateJson))]
[JsonSerializable(typeof(DryRun.DryRunJson))]
[JsonSerializable(typeof(BackfillCommand.BackfillJson))]
[JsonSerializable(typeof(TokensCreateCommand.CreatedTokenJson))]
[JsonSerializable(typeof(List<TokensListCommand.TokenJson>))]
[JsonSerializable(typeof(List<SecretsListCommand.SecretJson>))]
[JsonSerializable(typeof(PoolsListCommand.PoolListJson))]
[JsonSerializable(typeof(SchedulesCommand.ScheduleListJson))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Status.StatusReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

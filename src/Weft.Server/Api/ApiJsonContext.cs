using System.Text.Json.Serialization;
using Weft.Server.Api.Models;

namespace Weft.Server.Api;

/// <summary>
/// Serialization code, generated at build time, for every body the API reads or writes: the native executable has no
/// reflection-based serializer. The naming policy and the time converter come from the options it is added to.
/// </summary>
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TokenCollection))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(CreatedTokenResponse))]
[JsonSerializable(typeof(SecretResponse))]
[JsonSerializable(typeof(SecretCollection))]
[JsonSerializable(typeof(SecretRequest))]
[JsonSerializable(typeof(DagResponse))]
[JsonSerializable(typeof(DagTaskResponse))]
[JsonSerializable(typeof(DagCollection))]
[JsonSerializable(typeof(DagPatch))]
[JsonSerializable(typeof(DagSourceResponse))]
[JsonSerializable(typeof(DiagnosticResponse))]
[JsonSerializable(typeof(DeadLetterCollection))]
[JsonSerializable(typeof(CircuitBreakerCollection))]
[JsonSerializable(typeof(List<DiagnosticResponse>))]
[JsonSerializable(typeof(PoolResponse))]
[JsonSerializable(typeof(PoolCollection))]
[JsonSerializable(typeof(PoolRequest))]
[JsonSerializable(typeof(PoolPatch))]
[JsonSerializable(typeof(DagRunResponse))]
[JsonSerializable(typeof(DagRunCollection))]
[JsonSerializable(typeof(TriggerRequest))]
[JsonSerializable(typeof(StatePatch))]
[JsonSerializable(typeof(ClearRequest))]
[JsonSerializable(typeof(ClearResponse))]
[JsonSerializable(typeof(EventResponse))]
[JsonSerializable(typeof(EventCollection))]
[JsonSerializable(typeof(WorkerResponse))]
[JsonSerializable(typeof(WorkerCollection))]
[JsonSerializable(typeof(WorkerAttemptResponse))]
[JsonSerializable(typeof(ComponentHealth))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(RootResponse))]
[JsonSerializable(typeof(TaskInstanceResponse))]
[JsonSerializable(typeof(TaskInstanceCollection))]
[JsonSerializable(typeof(LifecycleEventResponse))]
[JsonSerializable(typeof(GridResponse))]
[JsonSerializable(typeof(AttemptCollection))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

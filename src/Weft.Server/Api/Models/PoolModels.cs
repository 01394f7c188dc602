namespace Weft.Server.Api.Models;

/// <summary>A pool: its size and the slots its running and queued task instances take.</summary>
internal sealed record PoolResponse(string Name, int Slots, int OccupiedSlots, int OpenSlots);

/// <summary>A page of pools.</summary>
internal sealed record PoolCollection(IReadOnlyList<PoolResponse> Pools, int TotalEntries);

/// <summary>POST pools.</summary>
internal sealed record PoolRequest(string? Name, int? Slots);

/// <summary>PATCH of a pool.</summary>
internal sealed record PoolPatch(int? Slots);

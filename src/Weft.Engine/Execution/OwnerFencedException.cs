using Weft.Engine.Storage;

namespace Weft.Engine.Execution;

/// <summary>
/// This process could not renew its lease in time, so it stopped the run's attempts and wrote nothing more: another
/// owner (or this process, under a new owner id, once the database answers) takes the run up again.
/// </summary>
internal sealed class OwnerFencedException(RunClaim claim)
    : Exception($"stopped run '{claim.RunId}' of DAG '{claim.DagId}': the database did not answer in time to renew this process's lease")
{
    public RunClaim Claim { get; } = claim;
}

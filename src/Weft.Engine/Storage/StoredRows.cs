using System.Data.Common;
using Weft.Core.Runs;
using static Weft.Engine.Storage.StoredValues;

namespace Weft.Engine.Storage;

/// <summary>
/// The records as both stores read them back: each store selects a table's columns in the same order, and both
/// drivers' readers are <see cref="DbDataReader"/>s, so a row becomes a record in one place.
/// </summary>
public static class StoredRows
{
    /// <summary>Reads a row selected with the stores' column list of its table, in that order, starting at column 0.</summary>
    public static RunRecord Run(DbDataReader reader) => new(
        DagId: reader.GetString(0),
        RunId: reader.GetString(1),
        State: ToRunState(reader.GetString(2)),
        RunType: reader.GetString(3),
        LogicalDate: reader.IsDBNull(4) ? null : ToTime(reader.GetInt64(4)),
        DataIntervalStart: reader.IsDBNull(5) ? null : ToTime(reader.GetInt64(5)),
        DataIntervalEnd: reader.IsDBNull(6) ? null : ToTime(reader.GetInt64(6)),
        StartDate: reader.IsDBNull(7) ? null : ToTime(reader.GetInt64(7)),
        EndDate: reader.IsDBNull(8) ? null : ToTime(reader.GetInt64(8)),
        ConfJson: reader.GetString(9),
        DagFile: reader.IsDBNull(10) ? null : reader.GetString(10),
        CreatedAt: ToTime(reader.GetInt64(11)))
    {
        DagHash = reader.IsDBNull(12) ? null : reader.GetString(12),
        DagVersion = reader.IsDBNull(13) ? null : reader.GetString(13),
        Owner = reader.IsDBNull(14) ? null : reader.GetString(14),
        ClaimEpoch = reader.IsDBNull(15) ? 0 : reader.GetInt64(15),
        Version = reader.GetInt64(16),
    };

    /// <summary>Reads a row selected with the stores' column list of its table, in that order, starting at column 0.</summary>
    public static TaskInstanceRecord TaskInstance(DbDataReader reader) => new(
        DagId: reader.GetString(0),
        RunId: reader.GetString(1),
        TaskId: reader.GetString(2),
        State: ToTaskState(reader.GetString(3)),
        TryNumber: reader.GetInt32(4),
        MaxTries: reader.GetInt32(5),
        ExitCode: reader.IsDBNull(6) ? null : reader.GetInt32(6),
        StartDate: reader.IsDBNull(7) ? null : ToTime(reader.GetInt64(7)),
        EndDate: reader.IsDBNull(8) ? null : ToTime(reader.GetInt64(8)),
        NextRetryAt: reader.IsDBNull(9) ? null : ToTime(reader.GetInt64(9)),
        AttemptId: reader.IsDBNull(10) ? null : reader.GetString(10),
        Reason: reader.IsDBNull(11) ? null : reader.GetString(11),
        Queue: reader.GetString(12),
        Pool: reader.GetString(13),
        PoolSlots: reader.GetInt32(14),
        Priority: reader.GetInt32(15),
        Outputs: OutputsFromJson(reader.GetString(16)))
    {
        LostCount = reader.GetInt32(17),
    };

    /// <summary>Reads a row selected with the stores' column list of its table, in that order, starting at column 0.</summary>
    public static AttemptRecord Attempt(DbDataReader reader) => new(
        AttemptId: reader.GetString(0),
        DagId: reader.GetString(1),
        RunId: reader.GetString(2),
        TaskId: reader.GetString(3),
        TryNumber: reader.GetInt32(4),
        State: ToTaskState(reader.GetString(5)),
        Owner: reader.IsDBNull(6) ? null : reader.GetString(6),
        StartDate: ToTime(reader.GetInt64(7)),
        EndDate: reader.IsDBNull(8) ? null : ToTime(reader.GetInt64(8)),
        LeaseExpiresAt: reader.IsDBNull(9) ? null : ToTime(reader.GetInt64(9)),
        ExitCode: reader.IsDBNull(10) ? null : reader.GetInt32(10),
        Reason: reader.IsDBNull(11) ? null : reader.GetString(11),
        LogPath: reader.IsDBNull(12) ? null : reader.GetString(12))
    {
        Process = reader.IsDBNull(14) ? null
            : new ProcessIdentity(reader.IsDBNull(13) ? "" : reader.GetString(13), reader.GetInt32(14),
                reader.IsDBNull(15) ? 0 : reader.GetInt64(15), reader.IsDBNull(16) ? 0 : reader.GetInt32(16)),
    };

    /// <summary>Reads an event row selected with the stores' column list of its table, in that order, starting at column 0.</summary>
    public static EventRecord Event(DbDataReader reader) => new(
        Id: reader.GetInt64(0),
        When: ToTime(reader.GetInt64(1)),
        Kind: reader.GetString(2),
        DagId: reader.IsDBNull(3) ? null : reader.GetString(3),
        RunId: reader.IsDBNull(4) ? null : reader.GetString(4),
        TaskId: reader.IsDBNull(5) ? null : reader.GetString(5),
        Message: reader.GetString(6));
}

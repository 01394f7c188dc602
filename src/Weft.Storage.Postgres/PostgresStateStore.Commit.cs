using Npgsql;
using Weft.Engine.Storage;
using Weft.Storage.Postgres.Statements;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    /// <inheritdoc />
    /// <remarks>
    /// The whole batch is one <see cref="NpgsqlBatch"/>, one round trip, one (implicit) transaction: the claim check first
    /// (it locks the run's row, so no claim passes on before the commit), then one statement per table, each writing
    /// all its rows through <c>unnest</c>. Batches of different callers are not merged: PostgreSQL runs concurrent
    /// transactions side by side, so each is written alone and fails alone.
    /// </remarks>
    public async Task CommitAsync(StateBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.IsEmpty)
        {
            return;
        }

        var commands = Commands(batch);
        try
        {
            // No explicit transaction: PostgreSQL runs the statements of one batch as one implicit transaction (all or
            // nothing), and the commit needs no round trip of its own.
            await OnceAsync(async connection =>
            {
                await using var statements = new NpgsqlBatch(connection);
                foreach (var command in commands)
                {
                    statements.BatchCommands.Add(command);
                }

                await statements.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresMigrations.ClaimLostState && batch.Claim is { } claim)
        {
            // Nothing of the batch is written: its writer no longer owns the run.
            throw new ClaimLostException(claim);
        }
    }

    private List<NpgsqlBatchCommand> Commands(StateBatch batch)
    {
        var commands = new List<NpgsqlBatchCommand>(9);
        if (batch.Claim is { } claim)
        {
            commands.Add(BatchCommand("SELECT weft_hold_claim($1, $2, $3, $4)", claim.DagId, claim.RunId, claim.Owner, claim.Epoch));
        }

        if (batch.Runs.Count > 0)
        {
            commands.Add(RunRows.Upsert(LastOfEach(batch.Runs, r => (r.DagId, r.RunId, ""))));
        }

        if (batch.TaskInstances.Count > 0)
        {
            commands.Add(TaskInstanceRows.Upsert(LastOfEach(batch.TaskInstances, t => (t.DagId, t.RunId, t.TaskId))));
        }

        if (batch.AttemptsStarted.Count > 0)
        {
            commands.Add(AttemptRows.Insert(batch.AttemptsStarted));
        }

        if (batch.AttemptsEnded.Count > 0)
        {
            commands.Add(AttemptRows.Upsert(LastOfEach(batch.AttemptsEnded, a => (a.AttemptId, "", ""))));
        }

        if (batch.Events.Count > 0)
        {
            commands.Add(EventRows.Insert(batch.Events));
        }

        if (batch.AttemptProcesses.Count > 0)
        {
            commands.Add(AttemptRows.UpdateProcess(LastOfEach(batch.AttemptProcesses, p => (p.AttemptId, "", ""))));
        }

        if (batch.AttemptsQueued.Count > 0)
        {
            var queued = batch.AttemptsQueued;
            commands.Add(BatchCommand("""
                INSERT INTO attempt_queue (attempt_id, dag_id, run_id, task_id, try_number, queue, state, enqueued_at, run_epoch)
                SELECT a, d, r, t, n, q, 'queued', e, p FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::bigint[], $8::bigint[]) AS u(a, d, r, t, n, q, e, p)
                """,
                queued.Select(q => q.AttemptId).ToArray(), queued.Select(q => q.DagId).ToArray(), queued.Select(q => q.RunId).ToArray(),
                queued.Select(q => q.TaskId).ToArray(), queued.Select(q => q.TryNumber).ToArray(), queued.Select(q => q.Queue).ToArray(),
                queued.Select(q => q.EnqueuedAt.ToUnixTimeMilliseconds()).ToArray(), queued.Select(q => q.RunEpoch).ToArray()));
            // Delivered at commit, so a worker woken by it finds the rows.
            commands.Add(BatchCommand("SELECT pg_notify($1, q) FROM (SELECT DISTINCT unnest($2::text[]) AS q) AS d",
                QueueChannel, queued.Select(q => q.Queue).ToArray()));
        }

        if (batch.QueueEntriesDone.Count > 0)
        {
            commands.Add(BatchCommand("DELETE FROM attempt_queue WHERE attempt_id = ANY($1::text[])", (object)batch.QueueEntriesDone.ToArray()));
        }

        if (batch.RunsPreempted.Count > 0)
        {
            commands.Add(BatchCommand("""
                UPDATE dag_runs AS r SET owner = CASE WHEN r.state = 'running' THEN r.owner END, claim_epoch = r.claim_epoch + 1
                FROM unnest($1::text[], $2::text[]) AS p(dag_id, run_id)
                WHERE r.dag_id = p.dag_id AND r.run_id = p.run_id
                """,
                batch.RunsPreempted.Select(p => p.DagId).ToArray(), batch.RunsPreempted.Select(p => p.RunId).ToArray()));
        }

        if (batch.ReleaseClaim && batch.Claim is { } held)
        {
            commands.Add(BatchCommand("UPDATE dag_runs SET owner = NULL WHERE dag_id = $1 AND run_id = $2 AND owner = $3 AND claim_epoch = $4",
                held.DagId, held.RunId, held.Owner, held.Epoch));
        }

        return commands;
    }

    /// <summary>
    /// The rows with each key once, holding its last value, at the place of its first: one <c>INSERT … ON CONFLICT DO
    /// UPDATE</c> may not touch a row twice, and row by row the last write would win.
    /// </summary>
    private static IReadOnlyList<T> LastOfEach<T>(List<T> rows, Func<T, (string, string, string)> key)
    {
        if (rows.Count < 2)
        {
            return rows;
        }

        var positions = new Dictionary<(string, string, string), int>(rows.Count);
        var unique = new List<T>(rows.Count);
        foreach (var row in rows)
        {
            if (positions.TryGetValue(key(row), out var position))
            {
                unique[position] = row;
            }
            else
            {
                positions.Add(key(row), unique.Count);
                unique.Add(row);
            }
        }

        return unique.Count == rows.Count ? rows : unique;
    }
}

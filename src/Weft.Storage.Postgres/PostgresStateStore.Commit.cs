using Npgsql;
using Weft.Engine.Storage;
using Weft.Storage.Postgres.Statements;

namespace Weft.Storage.Postgres;

public sealed partial class PostgresStateStore
{
    /// <inheritdoc />
    /// <remarks>
    /// A batch is one <see cref="NpgsqlBatch"/>, one round trip, one (implicit) transaction: the claim checks first
    /// (each locks its run's row, so no claim passes on before the commit), then one statement per table, each writing
    /// all its rows through <c>unnest</c>. A group commit (<see cref="GroupCommit"/>): batches that come while others
    /// are being written go together in the next round (up to 4 rounds side by side: PostgreSQL runs transactions in
    /// parallel, and one slow round must not hold every run), so 1,000 runs starting at once cost a few transactions,
    /// not 1,000; a round the server refused (a claim that passed on, say) is written again batch by batch, so each
    /// fails alone, while a failed connection fails its batches at once rather than each in turn.
    /// </remarks>
    public Task CommitAsync(StateBatch batch, CancellationToken cancellationToken) => _commits.CommitAsync(batch, cancellationToken);

    private async Task WriteAsync(IReadOnlyList<StateBatch> batches)
    {
        var commands = Commands(batches);
        try
        {
            // Not the callers' tokens: a round holds several callers' batches (each was checked before the round).
            await OnceAsync(async connection =>
            {
                await using var statements = new NpgsqlBatch(connection);
                foreach (var command in commands)
                {
                    statements.BatchCommands.Add(command);
                }

                await statements.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                return true;
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresMigrations.ClaimLostState && batches is [{ Claim: { } claim }])
        {
            // Nothing of the batch is written: its writer no longer owns the run.
            throw new ClaimLostException(claim);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresMigrations.RunChangedState && batches is [{ ExpectedRun: { } expected }])
        {
            // Nothing of the batch is written: the run changed since its writer read it.
            throw new RunChangedException(expected.DagId, expected.RunId);
        }
    }

    /// <summary>The statements that write <paramref name="batches"/> in one transaction, in their order.</summary>
    private List<NpgsqlBatchCommand> Commands(IReadOnlyList<StateBatch> batches)
    {
        var commands = new List<NpgsqlBatchCommand>(10);
        List<T> All<T>(Func<StateBatch, List<T>> rows) => batches.Count == 1 ? rows(batches[0]) : batches.SelectMany(rows).ToList();

        var claims = batches.Where(b => b.Claim is not null).Select(b => b.Claim!).ToList();
        if (claims.Count > 0)
        {
            commands.Add(BatchCommand(
                "SELECT weft_hold_claim(c.dag_id, c.run_id, c.owner, c.epoch) FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS c(dag_id, run_id, owner, epoch)",
                claims.Select(c => c.DagId).ToArray(), claims.Select(c => c.RunId).ToArray(), claims.Select(c => c.Owner).ToArray(), claims.Select(c => c.Epoch).ToArray()));
        }

        var expected = batches.Where(b => b.ExpectedRun is not null).Select(b => b.ExpectedRun!.Value).ToList();
        if (expected.Count > 0)
        {
            commands.Add(BatchCommand(
                "SELECT weft_expect_run(e.dag_id, e.run_id, e.version) FROM unnest($1::text[], $2::text[], $3::bigint[]) AS e(dag_id, run_id, version)",
                expected.Select(e => e.DagId).ToArray(), expected.Select(e => e.RunId).ToArray(), expected.Select(e => e.Version).ToArray()));
        }

        var runs = All(b => b.Runs);
        if (runs.Count > 0)
        {
            commands.Add(RunRows.Upsert(LastOfEach(runs, r => (r.DagId, r.RunId, ""))));
        }

        var instances = All(b => b.TaskInstances);
        if (instances.Count > 0)
        {
            commands.Add(TaskInstanceRows.Upsert(LastOfEach(instances, t => (t.DagId, t.RunId, t.TaskId))));
        }

        var started = All(b => b.AttemptsStarted);
        if (started.Count > 0)
        {
            commands.Add(AttemptRows.Insert(started));
        }

        var ended = All(b => b.AttemptsEnded);
        if (ended.Count > 0)
        {
            commands.Add(AttemptRows.Upsert(LastOfEach(ended, a => (a.AttemptId, "", ""))));
        }

        var events = All(b => b.Events);
        if (events.Count > 0)
        {
            commands.Add(EventRows.Insert(events));
        }

        var processes = All(b => b.AttemptProcesses);
        if (processes.Count > 0)
        {
            commands.Add(AttemptRows.UpdateProcess(LastOfEach(processes, p => (p.AttemptId, "", ""))));
        }

        var queued = All(b => b.AttemptsQueued);
        if (queued.Count > 0)
        {
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

        var done = All(b => b.QueueEntriesDone);
        if (done.Count > 0)
        {
            commands.Add(BatchCommand("DELETE FROM attempt_queue WHERE attempt_id = ANY($1::text[])", (object)done.ToArray()));
        }

        var preempted = All(b => b.RunsPreempted);
        if (preempted.Count > 0)
        {
            commands.Add(BatchCommand("""
                UPDATE dag_runs AS r SET owner = CASE WHEN r.state = 'running' THEN r.owner END, claim_epoch = r.claim_epoch + 1
                FROM unnest($1::text[], $2::text[]) AS p(dag_id, run_id)
                WHERE r.dag_id = p.dag_id AND r.run_id = p.run_id
                """,
                preempted.Select(p => p.DagId).ToArray(), preempted.Select(p => p.RunId).ToArray()));
        }

        var released = batches.Where(b => b.ReleaseClaim && b.Claim is not null).Select(b => b.Claim!).ToList();
        if (released.Count > 0)
        {
            commands.Add(BatchCommand("""
                UPDATE dag_runs AS r SET owner = NULL
                FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS c(dag_id, run_id, owner, epoch)
                WHERE r.dag_id = c.dag_id AND r.run_id = c.run_id AND r.owner = c.owner AND r.claim_epoch = c.epoch
                """,
                released.Select(c => c.DagId).ToArray(), released.Select(c => c.RunId).ToArray(), released.Select(c => c.Owner).ToArray(), released.Select(c => c.Epoch).ToArray()));
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

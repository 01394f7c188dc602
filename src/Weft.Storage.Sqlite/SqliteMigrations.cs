using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Weft.Storage.Sqlite;

/// <summary>
/// The schema, as numbered migrations. Each is applied once and recorded in <c>schema_migrations</c>; a released
/// migration is never edited, a change is a new number.
/// </summary>
internal static class SqliteMigrations
{
    /// <summary>One schema step.</summary>
    internal sealed record Migration(int Version, string Name, string Sql);

    /// <summary>Every migration, in order.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial", """
            CREATE TABLE dags (
                dag_id      TEXT    NOT NULL PRIMARY KEY,
                file_path   TEXT,
                source      TEXT    NOT NULL,
                hash        TEXT    NOT NULL,
                is_paused   INTEGER NOT NULL DEFAULT 0,
                schedule    TEXT,
                tags_json   TEXT    NOT NULL DEFAULT '[]',
                load_error  TEXT,
                updated_at  INTEGER NOT NULL
            );

            CREATE TABLE dag_runs (
                dag_id              TEXT    NOT NULL,
                run_id              TEXT    NOT NULL,
                state               TEXT    NOT NULL,
                run_type            TEXT    NOT NULL,
                logical_date        INTEGER,
                data_interval_start INTEGER,
                data_interval_end   INTEGER,
                start_date          INTEGER,
                end_date            INTEGER,
                conf_json           TEXT    NOT NULL DEFAULT '{}',
                dag_file            TEXT,
                created_at          INTEGER NOT NULL,
                UNIQUE (dag_id, run_id)
            );
            -- One run per DAG and logical date; runs without a logical date are not constrained.
            CREATE UNIQUE INDEX ux_dag_runs_logical_date ON dag_runs (dag_id, logical_date) WHERE logical_date IS NOT NULL;
            CREATE INDEX ix_dag_runs_created ON dag_runs (created_at);
            CREATE INDEX ix_dag_runs_dag_created ON dag_runs (dag_id, created_at);
            CREATE INDEX ix_dag_runs_run_id ON dag_runs (run_id);

            -- seq is the rowid (stable across VACUUM because it is declared): the creation order used to
            -- break priority ties when claiming. The natural key stays unique and is what every lookup uses.
            CREATE TABLE task_instances (
                seq           INTEGER PRIMARY KEY,
                dag_id        TEXT    NOT NULL,
                run_id        TEXT    NOT NULL,
                task_id       TEXT    NOT NULL,
                state         TEXT    NOT NULL,
                try_number    INTEGER NOT NULL,
                max_tries     INTEGER NOT NULL,
                exit_code     INTEGER,
                start_date    INTEGER,
                end_date      INTEGER,
                next_retry_at INTEGER,
                attempt_id    TEXT,
                reason        TEXT,
                queue         TEXT    NOT NULL,
                pool          TEXT    NOT NULL,
                pool_slots    INTEGER NOT NULL,
                priority      INTEGER NOT NULL,
                outputs_json  TEXT    NOT NULL DEFAULT '{}',
                UNIQUE (dag_id, run_id, task_id),
                FOREIGN KEY (dag_id, run_id) REFERENCES dag_runs (dag_id, run_id) ON DELETE CASCADE
            );
            -- Claims filter on state and queue and read in priority order; the rowid (seq) ends every index entry.
            CREATE INDEX ix_task_instances_claim ON task_instances (state, queue, priority DESC);

            CREATE TABLE task_attempts (
                attempt_id       TEXT    NOT NULL PRIMARY KEY,
                dag_id           TEXT    NOT NULL,
                run_id           TEXT    NOT NULL,
                task_id          TEXT    NOT NULL,
                try_number       INTEGER NOT NULL,
                state            TEXT    NOT NULL,
                owner            TEXT,
                start_date       INTEGER NOT NULL,
                end_date         INTEGER,
                lease_expires_at INTEGER,
                exit_code        INTEGER,
                reason           TEXT,
                log_path         TEXT,
                FOREIGN KEY (dag_id, run_id, task_id) REFERENCES task_instances (dag_id, run_id, task_id) ON DELETE CASCADE
            );
            CREATE INDEX ix_task_attempts_task ON task_attempts (dag_id, run_id, task_id, start_date);
            CREATE INDEX ix_task_attempts_lease ON task_attempts (lease_expires_at) WHERE state = 'running';

            CREATE TABLE pools (
                name  TEXT    NOT NULL PRIMARY KEY,
                slots INTEGER NOT NULL CHECK (slots >= 0)
            );
            INSERT INTO pools (name, slots) VALUES ('default_pool', 128);

            CREATE TABLE events (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                occurred_at INTEGER NOT NULL,
                kind        TEXT    NOT NULL,
                dag_id      TEXT,
                run_id      TEXT,
                task_id     TEXT,
                message     TEXT    NOT NULL
            );
            """),
        new(2, "access", """
            CREATE TABLE tokens (
                name         TEXT    NOT NULL PRIMARY KEY,
                role         TEXT    NOT NULL,
                hash         TEXT    NOT NULL UNIQUE,
                created_at   INTEGER NOT NULL,
                last_used_at INTEGER,
                revoked_at   INTEGER
            );

            CREATE TABLE secrets (
                name       TEXT    NOT NULL PRIMARY KEY,
                nonce      BLOB    NOT NULL,
                ciphertext BLOB    NOT NULL,
                updated_at INTEGER NOT NULL
            );
            """),

        // The runs still queued or running, which the scheduler lists on every pass: without it that is a scan of
        // every run ever made. Partial, so finished runs (nearly all rows) cost nothing in it.
        new(3, "active_runs", """
            CREATE INDEX ix_dag_runs_active ON dag_runs (state, created_at) WHERE state IN ('queued', 'running');
            """),

        // Ownership: every executing process registers as an owner with a lease; a run is claimed by one owner under
        // an epoch that fences its writes; attempts record their process so an orphan can be killed; lost attempts
        // are counted per task instance.
        new(4, "ownership", """
            CREATE TABLE owners (
                owner_id         TEXT    NOT NULL PRIMARY KEY,
                kind             TEXT    NOT NULL,
                host             TEXT    NOT NULL,
                pid              INTEGER NOT NULL,
                process_start    INTEGER NOT NULL,
                started_at       INTEGER NOT NULL,
                heartbeat_at     INTEGER NOT NULL,
                lease_expires_at INTEGER NOT NULL
            );
            ALTER TABLE dag_runs ADD COLUMN owner TEXT;
            ALTER TABLE dag_runs ADD COLUMN claim_epoch INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX ix_dag_runs_owner ON dag_runs (owner) WHERE owner IS NOT NULL;
            ALTER TABLE task_instances ADD COLUMN lost_count INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE task_attempts ADD COLUMN host TEXT;
            ALTER TABLE task_attempts ADD COLUMN pid INTEGER;
            ALTER TABLE task_attempts ADD COLUMN process_start INTEGER;
            ALTER TABLE task_attempts ADD COLUMN process_group INTEGER;
            """),

        // What each run ran: the hash of the DAG's source text and the author's version label.
        new(5, "run_definition", """
            ALTER TABLE dag_runs ADD COLUMN dag_hash TEXT;
            ALTER TABLE dag_runs ADD COLUMN dag_version TEXT;
            """),

        // Circuit breakers shared by every process on the database; the task instances that failed for good are
        // listed across runs (dead letters), newest first.
        new(6, "circuit_breakers", """
            CREATE TABLE circuit_breakers (
                name             TEXT    NOT NULL PRIMARY KEY,
                state            TEXT    NOT NULL,
                failures         INTEGER NOT NULL,
                opened_at        INTEGER,
                probe_started_at INTEGER,
                updated_at       INTEGER NOT NULL
            );
            CREATE INDEX ix_task_instances_state_end ON task_instances (state, end_date);
            """),

        // Workers: attempts handed to named queues, claimed by workers under their lease and completed fenced by that
        // claim; the logs workers ship in pieces, so any process reads them; the queues each worker serves.
        new(7, "attempt_queue", """
            CREATE TABLE attempt_queue (
                attempt_id       TEXT    NOT NULL PRIMARY KEY,
                dag_id           TEXT    NOT NULL,
                run_id           TEXT    NOT NULL,
                task_id          TEXT    NOT NULL,
                try_number       INTEGER NOT NULL,
                queue            TEXT    NOT NULL,
                state            TEXT    NOT NULL,
                enqueued_at      INTEGER NOT NULL,
                run_epoch        INTEGER NOT NULL DEFAULT 0,
                worker           TEXT,
                claimed_at       INTEGER,
                cancel_requested INTEGER NOT NULL DEFAULT 0,
                result_json      TEXT,
                host             TEXT,
                pid              INTEGER,
                process_start    INTEGER,
                process_group    INTEGER
            );
            CREATE INDEX ix_attempt_queue_ready ON attempt_queue (queue, enqueued_at) WHERE state = 'queued';
            CREATE INDEX ix_attempt_queue_claimed ON attempt_queue (worker) WHERE state = 'claimed';
            CREATE TABLE attempt_logs (
                attempt_id TEXT    NOT NULL,
                start_byte INTEGER NOT NULL,
                bytes      BLOB    NOT NULL,
                PRIMARY KEY (attempt_id, start_byte)
            );
            ALTER TABLE owners ADD COLUMN queues TEXT;
            """),

        // The run's version: every write under a claim moves it on, so an operator's change is written only while
        // the run is still as the change read it.
        new(8, "run_version", """
            ALTER TABLE dag_runs ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
            """),
    ];

    /// <summary>
    /// Applies the migrations not yet recorded, all in one write transaction: a fresh database gets its whole schema
    /// in one commit, and a failed migration leaves the database as it was.
    /// </summary>
    public static async Task ApplyAsync(SqliteConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // BEGIN IMMEDIATE takes the write lock before the check, so two processes starting together
        // cannot both apply the same migration: the second waits, then sees them recorded.
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = Command(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            );
            """))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<long>();
        using (var check = Command(connection, transaction, "SELECT version FROM schema_migrations"))
        using (var reader = await check.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        var pending = All.Where(m => !applied.Contains(m.Version)).ToList();
        if (pending.Count == 0)
        {
            transaction.Rollback();
            return;
        }

        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var migration in pending)
        {
            using (var apply = Command(connection, transaction, migration.Sql))
            {
                await apply.ExecuteNonQueryAsync(cancellationToken);
            }

            using var record = Command(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)");
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$name", migration.Name);
            record.Parameters.AddWithValue("$at", at);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        transaction.Commit();
        foreach (var migration in pending)
        {
            logger.LogInformation("Applied SQLite migration {Version} ({Name})", migration.Version, migration.Name);
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}

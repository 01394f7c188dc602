using Microsoft.Extensions.Logging;
using Npgsql;

namespace Weft.Storage.Postgres;

/// <summary>
/// The schema, as numbered migrations. Each is applied once and recorded in <c>schema_migrations</c>; a released
/// migration is never edited, a change is a new number. The tables mirror the SQLite store's: times are
/// <c>bigint</c> unix milliseconds (UTC) in both, so the engine sees the same values whichever database it runs on.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>One schema step.</summary>
    internal sealed record Migration(int Version, string Name, string Sql);

    /// <summary>The SQLSTATE <c>weft_hold_claim</c> raises when a claim no longer holds.</summary>
    public const string ClaimLostState = "WF001";

    /// <summary>The SQLSTATE <c>weft_expect_run</c> raises when a run is no longer at the version a writer read.</summary>
    public const string RunChangedState = "WF002";

    /// <summary>Every migration, in order.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "initial", """
            CREATE TABLE dags (
                dag_id      text    NOT NULL PRIMARY KEY,
                file_path   text,
                source      text    NOT NULL,
                hash        text    NOT NULL,
                is_paused   boolean NOT NULL DEFAULT false,
                schedule    text,
                tags_json   text    NOT NULL DEFAULT '[]',
                load_error  text,
                updated_at  bigint  NOT NULL
            );

            -- seq is the creation order, which breaks ties between runs created in the same millisecond.
            CREATE TABLE dag_runs (
                seq                 bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                dag_id              text    NOT NULL,
                run_id              text    NOT NULL,
                state               text    NOT NULL,
                run_type            text    NOT NULL,
                logical_date        bigint,
                data_interval_start bigint,
                data_interval_end   bigint,
                start_date          bigint,
                end_date            bigint,
                conf_json           text    NOT NULL DEFAULT '{}',
                dag_file            text,
                created_at          bigint  NOT NULL,
                owner               text,
                claim_epoch         bigint  NOT NULL DEFAULT 0,
                CONSTRAINT ux_dag_runs_run UNIQUE (dag_id, run_id)
            );
            -- One run per DAG and logical date; runs without a logical date are not constrained.
            CREATE UNIQUE INDEX ux_dag_runs_logical_date ON dag_runs (dag_id, logical_date) WHERE logical_date IS NOT NULL;
            CREATE INDEX ix_dag_runs_created ON dag_runs (created_at, seq);
            CREATE INDEX ix_dag_runs_dag_created ON dag_runs (dag_id, created_at, seq);
            CREATE INDEX ix_dag_runs_run_id ON dag_runs (run_id);
            CREATE INDEX ix_dag_runs_active ON dag_runs (created_at, seq) WHERE state IN ('queued', 'running');
            CREATE INDEX ix_dag_runs_owner ON dag_runs (owner) WHERE owner IS NOT NULL;

            CREATE TABLE task_instances (
                seq           bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                dag_id        text    NOT NULL,
                run_id        text    NOT NULL,
                task_id       text    NOT NULL,
                state         text    NOT NULL,
                try_number    integer NOT NULL,
                max_tries     integer NOT NULL,
                exit_code     integer,
                start_date    bigint,
                end_date      bigint,
                next_retry_at bigint,
                attempt_id    text,
                reason        text,
                queue         text    NOT NULL,
                pool          text    NOT NULL,
                pool_slots    integer NOT NULL,
                priority      integer NOT NULL,
                outputs_json  text    NOT NULL DEFAULT '{}',
                lost_count    integer NOT NULL DEFAULT 0,
                CONSTRAINT ux_task_instances_task UNIQUE (dag_id, run_id, task_id),
                FOREIGN KEY (dag_id, run_id) REFERENCES dag_runs (dag_id, run_id) ON DELETE CASCADE
            );
            -- Claims filter on state and queue and read in priority order, then creation order.
            CREATE INDEX ix_task_instances_claim ON task_instances (state, queue, priority DESC, seq);

            CREATE TABLE task_attempts (
                seq              bigint  GENERATED ALWAYS AS IDENTITY,
                attempt_id       text    NOT NULL PRIMARY KEY,
                dag_id           text    NOT NULL,
                run_id           text    NOT NULL,
                task_id          text    NOT NULL,
                try_number       integer NOT NULL,
                state            text    NOT NULL,
                owner            text,
                start_date       bigint  NOT NULL,
                end_date         bigint,
                lease_expires_at bigint,
                exit_code        integer,
                reason           text,
                log_path         text,
                host             text,
                pid              integer,
                process_start    bigint,
                process_group    integer,
                FOREIGN KEY (dag_id, run_id, task_id) REFERENCES task_instances (dag_id, run_id, task_id) ON DELETE CASCADE
            );
            CREATE INDEX ix_task_attempts_task ON task_attempts (dag_id, run_id, task_id, start_date);
            CREATE INDEX ix_task_attempts_lease ON task_attempts (lease_expires_at) WHERE state = 'running';

            CREATE TABLE pools (
                name  text    NOT NULL PRIMARY KEY,
                slots integer NOT NULL CHECK (slots >= 0)
            );
            INSERT INTO pools (name, slots) VALUES ('default_pool', 128);

            CREATE TABLE events (
                id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                occurred_at bigint  NOT NULL,
                kind        text    NOT NULL,
                dag_id      text,
                run_id      text,
                task_id     text,
                message     text    NOT NULL
            );

            CREATE TABLE owners (
                owner_id         text    NOT NULL PRIMARY KEY,
                kind             text    NOT NULL,
                host             text    NOT NULL,
                pid              integer NOT NULL,
                process_start    bigint  NOT NULL,
                started_at       bigint  NOT NULL,
                heartbeat_at     bigint  NOT NULL,
                lease_expires_at bigint  NOT NULL
            );

            CREATE TABLE tokens (
                name         text   NOT NULL PRIMARY KEY,
                role         text   NOT NULL,
                hash         text   NOT NULL UNIQUE,
                created_at   bigint NOT NULL,
                last_used_at bigint,
                revoked_at   bigint
            );

            CREATE TABLE secrets (
                name       text   NOT NULL PRIMARY KEY,
                nonce      bytea  NOT NULL,
                ciphertext bytea  NOT NULL,
                updated_at bigint NOT NULL
            );

            -- The fence of every claimed write: locks the run's row until the writing transaction ends (so no claim
            -- can pass on before the write commits) and refuses the transaction when the claim is no longer the run's.
            -- Called first in a batch, so a refused batch writes nothing and costs no extra round trip.
            CREATE FUNCTION weft_hold_claim(p_dag_id text, p_run_id text, p_owner text, p_epoch bigint) RETURNS void
            LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM 1 FROM dag_runs
                WHERE dag_id = p_dag_id AND run_id = p_run_id AND owner = p_owner AND claim_epoch = p_epoch
                FOR UPDATE;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'the claim of % on run % of DAG % has passed on', p_owner, p_run_id, p_dag_id
                        USING ERRCODE = 'WF001';
                END IF;
            END
            $$;
            """),
        new(2, "run_definition_and_circuits", """
            ALTER TABLE dag_runs ADD COLUMN dag_hash text;
            ALTER TABLE dag_runs ADD COLUMN dag_version text;
            CREATE TABLE circuit_breakers (
                name             text    NOT NULL PRIMARY KEY,
                state            text    NOT NULL,
                failures         integer NOT NULL,
                opened_at        bigint,
                probe_started_at bigint,
                updated_at       bigint  NOT NULL
            );
            CREATE INDEX ix_task_instances_state_end ON task_instances (state, end_date);
            """),

        // Workers: attempts handed to named queues, claimed by workers under their lease (FOR UPDATE SKIP LOCKED) and
        // completed fenced by that claim; the logs workers ship in pieces, so any process reads them; the queues each
        // worker serves.
        new(3, "attempt_queue", """
            CREATE TABLE attempt_queue (
                attempt_id       text    NOT NULL PRIMARY KEY,
                dag_id           text    NOT NULL,
                run_id           text    NOT NULL,
                task_id          text    NOT NULL,
                try_number       integer NOT NULL,
                queue            text    NOT NULL,
                state            text    NOT NULL,
                enqueued_at      bigint  NOT NULL,
                run_epoch        bigint  NOT NULL DEFAULT 0,
                worker           text,
                claimed_at       bigint,
                cancel_requested boolean NOT NULL DEFAULT false,
                result_json      text,
                host             text,
                pid              integer,
                process_start    bigint,
                process_group    integer
            );
            CREATE INDEX ix_attempt_queue_ready ON attempt_queue (queue, enqueued_at) WHERE state = 'queued';
            CREATE INDEX ix_attempt_queue_claimed ON attempt_queue (worker) WHERE state = 'claimed';
            CREATE TABLE attempt_logs (
                attempt_id text   NOT NULL,
                start_byte bigint NOT NULL,
                bytes      bytea  NOT NULL,
                PRIMARY KEY (attempt_id, start_byte)
            );
            ALTER TABLE owners ADD COLUMN queues text;
            """),

        // The run's version: every write under a claim moves it on (the claim check now updates the row it locks), so an
        // operator's change is written only while the run is still as the change read it.
        new(4, "run_version", """
            ALTER TABLE dag_runs ADD COLUMN version bigint NOT NULL DEFAULT 0;
            CREATE OR REPLACE FUNCTION weft_hold_claim(p_dag_id text, p_run_id text, p_owner text, p_epoch bigint) RETURNS void
            LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE dag_runs SET version = version + 1
                WHERE dag_id = p_dag_id AND run_id = p_run_id AND owner = p_owner AND claim_epoch = p_epoch;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'the claim of % on run % of DAG % has passed on', p_owner, p_run_id, p_dag_id
                        USING ERRCODE = 'WF001';
                END IF;
            END
            $$;
            CREATE FUNCTION weft_expect_run(p_dag_id text, p_run_id text, p_version bigint) RETURNS void
            LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE dag_runs SET version = version + 1
                WHERE dag_id = p_dag_id AND run_id = p_run_id AND version = p_version;
                IF NOT FOUND THEN
                    RAISE EXCEPTION 'run % of DAG % changed since it was read', p_run_id, p_dag_id
                        USING ERRCODE = 'WF002';
                END IF;
            END
            $$;
            """),
    ];

    /// <summary>
    /// Applies the migrations not yet recorded, all in one transaction, under an advisory lock on the schema: two
    /// processes starting at once cannot both apply a migration (the second waits, then finds it recorded), and a
    /// failed migration leaves the database as it was. Creates the schema when it is missing.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, string schema, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Transaction-scoped, so a crashed process cannot leave it held; keyed by schema, so Weft installations in
        // different schemas of one database do not wait for each other.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtext('weft.migrations'), hashtext($1))", cancellationToken, schema).ConfigureAwait(false);

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_namespace WHERE nspname = $1", connection, transaction))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = schema });
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {QuoteIdentifier(schema)}", cancellationToken).ConfigureAwait(false);
            }
        }

        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer NOT NULL PRIMARY KEY,
                name       text    NOT NULL,
                applied_at bigint  NOT NULL
            )
            """, cancellationToken).ConfigureAwait(false);

        var applied = new HashSet<int>();
        await using (var check = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction))
        await using (var reader = await check.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var pending = All.Where(m => !applied.Contains(m.Version)).ToList();
        if (pending.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var migration in pending)
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                cancellationToken, migration.Version, migration.Name, at).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var migration in pending)
        {
            logger.LogInformation("Applied PostgreSQL migration {Version} ({Name}) in schema {Schema}", migration.Version, migration.Name, schema);
        }
    }

    /// <summary>An identifier in double quotes, with its own double quotes doubled.</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}

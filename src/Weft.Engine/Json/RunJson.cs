using System.Text;
using System.Text.Json;
using Weft.Core.Runs;
using Weft.Engine.Storage;

namespace Weft.Engine.Json;

/// <summary>The contract's run JSON: the same shape for <c>weft run --json</c>, <c>weft runs show --json</c> and the API.</summary>
internal static class RunJson
{
    /// <summary>Times as ISO-8601 UTC with milliseconds.</summary>
    public static string Time(DateTimeOffset t) => Weft.Core.Scheduling.RunIds.Format(t);

    /// <summary>The run as a JSON document.</summary>
    public static string Serialize(RunSnapshot snapshot, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(w, snapshot);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the run object.</summary>
    public static void Write(Utf8JsonWriter w, RunSnapshot snapshot)
    {
        var run = snapshot.Run;
        w.WriteStartObject();
        w.WriteString("dag_id", run.DagId);
        w.WriteString("run_id", run.RunId);
        w.WriteString("state", run.State.ToName());
        w.WriteString("run_type", run.RunType);
        WriteTime(w, "logical_date", run.LogicalDate);
        WriteTime(w, "data_interval_start", run.DataIntervalStart);
        WriteTime(w, "data_interval_end", run.DataIntervalEnd);
        WriteTime(w, "start_date", run.StartDate);
        WriteTime(w, "end_date", run.EndDate);
        w.WritePropertyName("conf");
        using (var conf = JsonDocument.Parse(string.IsNullOrWhiteSpace(run.ConfJson) ? "{}" : run.ConfJson))
        {
            conf.RootElement.WriteTo(w);
        }

        if (run.DagVersion is not null) w.WriteString("dag_version", run.DagVersion);
        if (run.DagHash is not null) w.WriteString("dag_hash", run.DagHash);

        w.WriteStartArray("tasks");
        foreach (var t in snapshot.Tasks)
        {
            WriteTask(w, t);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Writes one task instance object.</summary>
    public static void WriteTask(Utf8JsonWriter w, TaskInstanceRecord t)
    {
        w.WriteStartObject();
        w.WriteString("task_id", t.TaskId);
        w.WriteString("state", t.State.ToName());
        w.WriteNumber("try_number", t.TryNumber);
        w.WriteNumber("max_tries", t.MaxTries);
        if (t.ExitCode is { } code) w.WriteNumber("exit_code", code); else w.WriteNull("exit_code");
        WriteTime(w, "start_date", t.StartDate);
        WriteTime(w, "end_date", t.EndDate);
        if (t.StartDate is { } s && t.EndDate is { } e) w.WriteNumber("duration_ms", (long)(e - s).TotalMilliseconds); else w.WriteNull("duration_ms");
        if (t.Reason is not null) w.WriteString("reason", t.Reason);
        if (t.NextRetryAt is { } next) WriteTime(w, "next_retry_at", next);
        w.WriteStartObject("outputs");
        foreach (var (k, v) in t.Outputs)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v) w.WriteString(name, Time(v)); else w.WriteNull(name);
    }
}

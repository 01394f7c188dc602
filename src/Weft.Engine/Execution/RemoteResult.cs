using System.Buffers;
using System.Text;
using System.Text.Json;
using Weft.Engine.Runners;

namespace Weft.Engine.Execution;

/// <summary>An attempt's result as a worker writes it to the queue entry and the run's owner reads it back.</summary>
internal static class RemoteResult
{
    public static string Write(TaskResult result)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("outcome", result.Outcome switch
            {
                TaskOutcome.Success => "success",
                TaskOutcome.Skipped => "skipped",
                TaskOutcome.Lost => result.CountsAsLost ? "lost" : "interrupted",
                _ => "failed",
            });
            if (result.ExitCode is { } code)
            {
                json.WriteNumber("exit_code", code);
            }

            if (result.Reason is { } reason)
            {
                json.WriteString("reason", reason);
            }

            if (result.RanAt is var (started, ended))
            {
                json.WriteNumber("started_at", started.ToUnixTimeMilliseconds());
                json.WriteNumber("ended_at", ended.ToUnixTimeMilliseconds());
            }

            json.WriteStartObject("outputs");
            foreach (var (key, value) in result.Outputs)
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static TaskResult Read(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var name = root.GetProperty("outcome").GetString();
        var outcome = name switch
        {
            "success" => TaskOutcome.Success,
            "skipped" => TaskOutcome.Skipped,
            "lost" or "interrupted" => TaskOutcome.Lost,
            _ => TaskOutcome.Failed,
        };
        int? exitCode = root.TryGetProperty("exit_code", out var code) ? code.GetInt32() : null;
        var reason = root.TryGetProperty("reason", out var r) ? r.GetString() : null;
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("outputs", out var o))
        {
            foreach (var property in o.EnumerateObject())
            {
                outputs[property.Name] = property.Value.GetString() ?? "";
            }
        }

        (DateTimeOffset, DateTimeOffset)? ranAt = root.TryGetProperty("started_at", out var started) && root.TryGetProperty("ended_at", out var ended)
            ? (DateTimeOffset.FromUnixTimeMilliseconds(started.GetInt64()), DateTimeOffset.FromUnixTimeMilliseconds(ended.GetInt64()))
            : null;
        return new TaskResult(outcome, exitCode, reason, outputs) { CountsAsLost = name != "interrupted", RanAt = ranAt };
    }
}

namespace Weft.Engine.Storage;

/// <summary>How every store spells queue states, and how it puts a shipped log together: one rule for both databases.</summary>
public static class QueueStates
{
    /// <summary>The stored name of a state.</summary>
    public static string Name(QueueState state) => state switch
    {
        QueueState.Queued => "queued",
        QueueState.Claimed => "claimed",
        QueueState.Done => "done",
        QueueState.Lost => "lost",
        _ => "withdrawn",
    };

    /// <summary>A stored name as a state.</summary>
    public static QueueState Parse(string name) => name switch
    {
        "queued" => QueueState.Queued,
        "claimed" => QueueState.Claimed,
        "done" => QueueState.Done,
        "lost" => QueueState.Lost,
        "withdrawn" => QueueState.Withdrawn,
        _ => throw new FormatException($"unknown queue state '{name}'"),
    };

    /// <summary>
    /// The log bytes from <paramref name="offset"/> on, out of pieces ordered by their start; a gap ends it (the piece
    /// after it has not been written yet). Null when there are no pieces at all.
    /// </summary>
    public static byte[]? Join(IEnumerable<(long Start, byte[] Bytes)> pieces, long offset)
    {
        var any = false;
        var position = offset;
        using var joined = new MemoryStream();
        foreach (var (start, bytes) in pieces)
        {
            any = true;
            var end = start + bytes.Length;
            if (end <= position)
            {
                continue;
            }

            if (start > position)
            {
                break;
            }

            var skip = (int)(position - start);
            joined.Write(bytes, skip, bytes.Length - skip);
            position = end;
        }

        return any ? joined.ToArray() : null;
    }
}

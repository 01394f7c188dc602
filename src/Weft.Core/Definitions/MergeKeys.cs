namespace Weft.Core.Definitions;

/// <summary>YAML merge keys (<c>&lt;&lt;: *defaults</c>): entries of the merged mappings that the mapping does not set itself.</summary>
internal static class MergeKeys
{
    public static void Expand(MapNode map)
    {
        var index = map.Entries.FindIndex(e => e.Key is { IsQuoted: false, Value: "<<" });
        if (index < 0)
        {
            return;
        }

        var merge = map.Entries[index];
        map.Entries.RemoveAt(index);
        var sources = merge.Value switch
        {
            MapNode m => [m],
            ListNode l => l.Items.OfType<MapNode>().ToList(),
            _ => [],
        };

        var present = new HashSet<string>(map.Entries.Select(e => e.Key.Value), StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (var entry in source.Entries)
            {
                if (present.Add(entry.Key.Value))
                {
                    map.Entries.Add(entry);
                }
            }
        }
    }
}

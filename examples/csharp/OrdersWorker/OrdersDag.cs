using System.Globalization;
using Weft;

namespace OrdersWorker;

/// <summary>
/// A nightly DAG mixing C# and shell: count the day's orders in C#, compress an export with a shell command, then
/// report in C# with what both produced.
/// </summary>
public static class OrdersDag
{
    public static DagDefinition Build() => Dag.Create("orders")
        .Description("Count, export and report a day of orders")
        .Schedule("30 1 * * *")
        .Param("day", "2024-01-01")
        .Param("orders", 120)
        .Task("count", (ctx, ct) =>
        {
            var orders = ctx.Params["orders"].GetInt32();
            ctx.Log($"counting orders of {ctx.Params["day"].GetString()}");
            ctx.SetOutput("count", orders.ToString(CultureInfo.InvariantCulture));
            ctx.SetOutput("big", (orders > 100).ToString().ToLowerInvariant());
            return Task.CompletedTask;
        })
        .Task("export", t => t
            .Command("""
                printf 'day,count\n%s,%s\n' ${{ params.day }} ${{ tasks.count.outputs.count }} | gzip > "$WEFT_TMP/orders.csv.gz"
                echo "bytes=$(wc -c < "$WEFT_TMP/orders.csv.gz")" >> "$WEFT_OUTPUT"
                """)
            .DependsOn("count")
            .Retries(2)
            .RetryDelay(TimeSpan.FromSeconds(1)))
        .Task("report", async (ctx, ct) =>
        {
            // A real report would post somewhere; the token is cancelled on timeout or shutdown.
            await Task.Delay(TimeSpan.FromMilliseconds(10), ct);
            var line = $"{ctx.GetOutput("count", "count")} orders, export of {ctx.GetOutput("export", "bytes")} bytes";
            ctx.Log(line);
            ctx.SetOutput("summary", line);
        }, t => t.DependsOn("export").Timeout(TimeSpan.FromMinutes(1)))
        .Build();
}

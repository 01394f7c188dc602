using System.Diagnostics;
using System.Threading.Channels;

// The floor a .NET program pays for the shell benchmark's graph: no database, no logs, no outputs; each command
// started with Process.Start the moment its upstreams have finished, at most N at once.
//   BareLoop GRAPH_FILE PARALLELISM direct|bash COMMAND
// GRAPH_FILE: one task per line, "id upstream1 upstream2 ...", in topological order (bench/gen.py writes graph.txt).
if (args.Length != 4 || !int.TryParse(args[1], out var parallelism) || parallelism < 1 || args[2] is not ("direct" or "bash"))
{
    Console.Error.WriteLine("usage: BareLoop GRAPH_FILE PARALLELISM direct|bash COMMAND");
    return 2;
}

var lines = File.ReadAllLines(args[0]).Where(l => l.Length > 0).Select(l => l.Split(' ')).ToArray();
var index = new Dictionary<string, int>(lines.Length);
for (var i = 0; i < lines.Length; i++)
{
    index[lines[i][0]] = i;
}

var waiting = new int[lines.Length];
var downstream = Enumerable.Range(0, lines.Length).Select(_ => new List<int>()).ToArray();
for (var i = 0; i < lines.Length; i++)
{
    foreach (var up in lines[i].Skip(1))
    {
        waiting[i]++;
        downstream[index[up]].Add(i);
    }
}

var words = args[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
var (file, arguments) = args[2] == "direct" ? (words[0], words[1..]) : ("/bin/bash", new[] { "-c", args[3] });
var ready = new Queue<int>(Enumerable.Range(0, lines.Length).Where(i => waiting[i] == 0));
var finished = Channel.CreateUnbounded<(int Task, int ExitCode)>();
var running = 0;
var done = 0;
var failed = 0;
while (done < lines.Length)
{
    while (running < parallelism && ready.TryDequeue(out var task))
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var id = task;
        process.Exited += (_, _) => finished.Writer.TryWrite((id, process.ExitCode));
        process.Start();
        running++;
    }

    var (ended, exitCode) = await finished.Reader.ReadAsync();
    running--;
    done++;
    if (exitCode != 0)
    {
        failed++;
        continue;
    }

    foreach (var next in downstream[ended])
    {
        if (--waiting[next] == 0)
        {
            ready.Enqueue(next);
        }
    }
}

return failed == 0 ? 0 : 1;

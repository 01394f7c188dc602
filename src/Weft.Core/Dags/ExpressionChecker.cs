using System.Text.Json;
using Weft.Core.Definitions;
using Weft.Core.Diagnostics;
using Weft.Core.Templating;

namespace Weft.Core.Dags;

/// <summary>
/// Checks every <c>${{ … }}</c> in the fields that take them: well formed, a known root and name, a defined
/// parameter, and outputs only of tasks that are upstream (directly or not).
/// </summary>
internal sealed class ExpressionChecker(DagDefinition dag, TaskGraph graph, IReadOnlyDictionary<SourcePosition, int>? shifts, List<Diagnostic> d)
{
    private static readonly string[] Roots = ["params", "tasks", "run", "dag", "task", "secrets"];
    private static readonly string[] RunNames = ["id", "logical_date", "data_interval_start", "data_interval_end"];
    private static readonly string[] TaskNames = ["id", "attempt"];

    public void CheckAll()
    {
        for (var i = 0; i < dag.Tasks.Length; i++)
        {
            var t = dag.Tasks[i];
            HashSet<int>? ancestors = null;
            foreach (var (key, text) in Templated(t))
            {
                if (!text.Contains("${{", StringComparison.Ordinal)) continue;
                var at = t.PositionOf(key);
                if (!Template.TryParse(text, out var template, out var error, out var offset))
                {
                    d.Add(Diagnostic.Error(Shift(at, offset), $"{error} in '{key}' of task '{DagValidator.Short(t.Id)}'"));
                    continue;
                }

                for (var k = 0; k < template!.References.Length; k++)
                {
                    var reference = template.References[k];
                    var problem = Check(reference, t, i, ref ancestors) ?? Placement(template, k, key, t);
                    if (problem is not null)
                    {
                        d.Add(Diagnostic.Error(Shift(at, reference.Offset), problem));
                    }
                }
            }
        }
    }

    private string? Check(ExpressionReference r, TaskDefinition t, int self, ref HashSet<int>? ancestors)
    {
        var expr = $"'${{{{ {r.Text} }}}}'";
        switch (r.Root)
        {
            case "params":
                if (r.Path.Length == 0) return $"{expr} names no parameter; write params.NAME";
                var name = r.Path[0];
                if (dag.Params.ContainsKey(name)) return null;
                var hint = NameSuggester.Hint(name, dag.Params.Keys);
                var known = dag.Params.IsEmpty ? "the DAG defines no 'params'" : $"defined: {string.Join(", ", dag.Params.Keys.Order(StringComparer.Ordinal))}";
                return $"unknown parameter '{name}' in {expr}{(hint.Length > 0 ? hint : $"; {known}")}";
            case "tasks":
                if (!(r.Path.Length == 3 && r.Path[1] == "outputs") && !(r.Path.Length == 2 && r.Path[1] == "state"))
                {
                    return $"{expr} is not a task reference; write tasks.ID.outputs.KEY or tasks.ID.state";
                }

                var id = r.Path[0];
                if (!graph.Index.TryGetValue(id, out var j))
                {
                    return $"{expr} refers to '{id}', which is not a task of this DAG{(graph.Index.Count <= 5000 ? NameSuggester.Hint(id, graph.Index.Keys) : string.Empty)}";
                }

                if (j == self || id == t.Id)
                {
                    return $"task '{t.Id}' refers to itself in {expr}; a task can only read the outputs of tasks upstream of it";
                }

                return graph.IsAncestor(j, self, ref ancestors) ? null : $"task '{id}' is not upstream of '{t.Id}' in {expr}; add '{id}' to 'depends_on' (directly or through another task)";
            case "run":
                return Named(r, RunNames, expr);
            case "task":
                return Named(r, TaskNames, expr);
            case "dag":
                return Named(r, ["id"], expr);
            case "secrets":
                return r.Path.Length == 1 ? null : $"{expr} names no secret; write secrets.NAME";
            default:
                var rootHint = NameSuggester.Hint(r.Root, Roots);
                return $"unknown expression root '{r.Root}' in {expr}{(rootHint.Length > 0 ? rootHint + " E" : "; e")}xpressions start with params, tasks, run, dag, task or secrets";
        }
    }

    /// <summary>Refuses an expression that stands where its value could be read as code or leak.</summary>
    private static string? Placement(Template template, int index, string key, TaskDefinition t)
    {
        var r = template.References[index];
        var expr = $"${{{{ {r.Text} }}}}";
        var where = $"'{expr}' in '{key}' of task '{DagValidator.Short(t.Id)}'";
        if (key == "command" && t.Type == TaskType.Shell && template.ShellPlacements[index] is { Kind: ShellPlacementKind.Refused } refused)
        {
            return $"{where} {refused.Problem!.Replace("${{ x }}", expr, StringComparison.Ordinal)}";
        }

        if (key.StartsWith("args[", StringComparison.Ordinal) && r.Root == "secrets")
        {
            return $"{where} would put a secret on the script's command line, which every user of the machine can read; pass it through 'env' (env: {{ TOKEN: \"{expr}\" }}) and read $TOKEN in the script";
        }

        if (key == "url" && UrlPlaces.Of(string.Concat(template.Literals.Take(index + 1))) == UrlPlace.Scheme)
        {
            return $"{where} {UrlPlaces.SchemeProblem}";
        }

        return null;
    }

    private static string? Named(ExpressionReference r, string[] names, string expr)
    {
        if (r.Path.Length == 1 && names.Contains(r.Path[0])) return null;
        var written = string.Join('.', r.Path);
        var hint = NameSuggester.Nearest(written, names) is { } near ? $"; did you mean '{r.Root}.{near}'?" : string.Empty;
        var all = string.Join(", ", names.Select(n => $"{r.Root}.{n}"));
        return $"unknown name '{r.Root}.{written}' in {expr}{hint} (known: {all})";
    }

    /// <summary>The position of a character inside a value, when its text maps one to one onto the file.</summary>
    private SourcePosition Shift(SourcePosition at, int offset) =>
        shifts is not null && shifts.TryGetValue(at, out var shift) ? at with { Column = at.Column + shift + offset } : at;

    private static IEnumerable<(string Key, string Text)> Templated(TaskDefinition t)
    {
        if (t.Command is not null) yield return ("command", t.Command);
        if (t.Url is not null) yield return ("url", t.Url);
        for (var i = 0; i < t.Args.Length; i++) yield return ($"args[{i}]", t.Args[i]);
        foreach (var (k, v) in t.Env) yield return ($"env.{k}", v);
        foreach (var (k, v) in t.Headers) yield return ($"headers.{k}", v);
        if (t.Body is { } body)
        {
            foreach (var s in Strings(body)) yield return ("body", s);
        }
    }

    private static IEnumerable<string> Strings(JsonElement e)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            switch (x.ValueKind)
            {
                case JsonValueKind.String:
                    yield return x.GetString()!;
                    break;
                case JsonValueKind.Array:
                    foreach (var item in x.EnumerateArray()) stack.Push(item);
                    break;
                case JsonValueKind.Object:
                    foreach (var p in x.EnumerateObject())
                    {
                        yield return p.Name;
                        stack.Push(p.Value);
                    }

                    break;
            }
        }
    }
}

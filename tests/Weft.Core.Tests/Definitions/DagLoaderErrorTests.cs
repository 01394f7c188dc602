using Weft.Core.Diagnostics;
using static Weft.Core.Tests.Definitions.TestFiles;

namespace Weft.Core.Tests.Definitions;

/// <summary>One test per class of bad input, each with a file under Cases/: message key words, line and column.</summary>
public class DagLoaderErrorTests
{
    [Fact]
    public void MalformedYaml_ReportsParserPosition() =>
        AssertError(LoadCase("malformed.yaml"), 4, 21, "invalid YAML");

    [Fact]
    public void MalformedJson_ReportsParserPosition() =>
        AssertError(LoadCase("malformed.json"), 4, 16, "invalid JSON");

    [Fact]
    public void EmptyFile_IsReported() => AssertError(LoadCase("empty.yaml"), 1, 1, "empty");

    [Fact]
    public void CommentsOnly_IsReported() => AssertError(LoadCase("comments_only.yaml"), 1, 1, "no DAG");

    [Fact]
    public void TopLevelList_IsReported() => AssertError(LoadCase("top_level_list.yaml"), 1, 1, "top level", "a list");

    [Fact]
    public void MissingIdAndTasks_BothReported()
    {
        var r = LoadCase("missing_id_and_tasks.yaml");
        AssertError(r, 1, 1, "missing 'id'");
        AssertError(r, 1, 1, "missing 'tasks'");
        Assert.Null(r.Dag);
    }

    [Fact]
    public void EmptyTaskList_IsReported() => AssertError(LoadCase("empty_tasks.yaml"), 2, 1, "task list is empty");

    [Fact]
    public void DuplicateTaskId_ReportedAtSecondWithFirstLine() =>
        AssertError(LoadCase("duplicate_ids.yaml"), 8, 9, "duplicate task id 'extract'", "line 3");

    [Fact]
    public void InvalidIds_SayWhatIsAllowed()
    {
        var r = LoadCase("invalid_ids.yaml");
        AssertError(r, 1, 5, "invalid DAG id 'my dag!'", "letters, digits");
        AssertError(r, 3, 9, "invalid task id '-starts-with-dash'", "start with a letter or digit");
        AssertError(r, 7, 11, "invalid pool name 'bad pool'");
    }

    [Fact]
    public void UnknownDependency_SuggestsNearest() =>
        AssertError(LoadCase("unknown_dependency.yaml"), 7, 27, "'extrct'", "did you mean 'extract'?");

    [Fact]
    public void SelfDependency_IsReported() =>
        AssertError(LoadCase("self_dependency.yaml"), 6, 9, "task 'a' depends on itself");

    [Fact]
    public void Cycle_PrintsThePathAtAnEdge() =>
        AssertError(LoadCase("cycle.yaml"), 8, 18, "dependency cycle: a -> b -> c -> a");

    [Fact]
    public void UnknownFields_SuggestNearestKnownField()
    {
        var r = LoadCase("unknown_fields.yaml");
        AssertError(r, 2, 1, "unknown field 'schedul'", "did you mean 'schedule'?");
        AssertError(r, 5, 5, "unknown field 'comand'", "did you mean 'command'?");
        AssertError(r, 6, 5, "unknown field 'retires'", "did you mean 'retries'?");
        AssertError(r, 7, 5, "unknown field 'zzzzzzzz'", "known fields are");
    }

    [Fact]
    public void WrongValueTypes_NameFieldAndValue()
    {
        var r = LoadCase("wrong_types.yaml");
        AssertError(r, 2, 10, "expected true or false for 'catchup', found 'maybe'");
        AssertError(r, 3, 18, "expected an integer for 'max_active_runs', found 'lots'");
        AssertError(r, 7, 14, "expected an integer for 'retries', found 'three'");
        AssertError(r, 8, 15, "'critical'", "'yes please'");
        AssertError(r, 9, 10, "'env'", "found a list");
        AssertError(r, 10, 26, "expected an integer for 'expect_status', found 'ok'");
    }

    [Fact]
    public void BadCron_IsReported() => AssertError(LoadCase("bad_cron.yaml"), 2, 11, "invalid schedule '0 25 * * *'", "cron");

    [Fact]
    public void BadPreset_ListsPresets() => AssertError(LoadCase("bad_preset.yaml"), 2, 11, "unknown schedule preset '@dayly'", "@daily");

    [Fact]
    public void BadInterval_IsReported() => AssertError(LoadCase("bad_interval.yaml"), 2, 11, "invalid interval 'soon'", "every 15m");

    [Fact]
    public void BadTimeZone_SuggestsIanaName() =>
        AssertError(LoadCase("bad_timezone.yaml"), 2, 11, "unknown time zone 'Europe/Amsterdm'", "did you mean 'Europe/Amsterdam'?");

    [Fact]
    public void BadDates_AreReported()
    {
        var r = LoadCase("bad_dates.yaml");
        AssertError(r, 2, 13, "invalid date '2024-13-45' for 'start_date'");
        AssertError(r, 3, 11, "invalid date 'yesterday' for 'end_date'");
    }

    [Fact]
    public void BadDurations_AreReported()
    {
        var r = LoadCase("bad_durations.yaml");
        AssertError(r, 5, 18, "invalid duration '5 parsecs' for 'retry_delay'", "1h30m");
        AssertError(r, 6, 14, "invalid duration '-3s' for 'timeout'");
        AssertError(r, 7, 10, "'sla'", "longer than zero");
    }

    [Fact]
    public void UnknownTriggerRuleAndBackoff_Suggest()
    {
        var r = LoadCase("bad_rules.yaml");
        AssertError(r, 8, 19, "unknown trigger rule 'all_sucess'", "did you mean 'all_success'?");
        AssertError(r, 9, 20, "unknown retry backoff 'exponentail'", "did you mean 'exponential'?");
    }

    [Fact]
    public void TypeSpecificFields_AreRequired()
    {
        var r = LoadCase("type_requirements.yaml");
        AssertError(r, 4, 11, "task 'sh' is a shell task but has no 'command'");
        AssertError(r, 6, 11, "task 'web' is an http task but has no 'url'");
        AssertError(r, 9, 11, "task 'file' is a script task but has no 'script'");
        AssertError(r, 11, 11, "unknown task type 'lambda'");
    }

    [Fact]
    public void Expressions_AreCheckedAtTheirColumn()
    {
        var r = LoadCase("expressions.yaml");
        AssertError(r, 11, 19, "unknown parameter 'dte'", "did you mean 'date'?");
        AssertError(r, 11, 37, "task 'other' is not upstream of 'load'");
        AssertError(r, 13, 13, "unknown expression root 'param'", "did you mean 'params'?");
        AssertError(r, 14, 12, "unknown name 'run.logcal_date'", "did you mean 'run.logical_date'?");
        AssertError(r, 18, 19, "unclosed expression");
        AssertError(r, 19, 13, "tasks.extract.bogus", "tasks.ID.outputs.KEY");
        AssertError(r, 19, 43, "'nope', which is not a task");
        // A secret in args would be on the process's command line.
        AssertError(r, 19, 70, "secrets.token", "command line", "env");
        // Transitively upstream is fine.
        Assert.DoesNotContain(r.Diagnostics, d => d.Message.Contains("tasks.extract.outputs.rows }}' in 'command' of task 'load'", StringComparison.Ordinal));
        // Unsafe placements in a shell command, and a url that a value would start.
        AssertError(r, 22, 23, "'${{ params.date }}' in 'command' of task 'unsafe' stands inside single quotes", "use double quotes");
        AssertError(r, 22, 55, "stands in arithmetic", "n=${{ tasks.extract.outputs.rows }}");
        AssertError(r, 25, 11, "in 'url' of task 'call'", "write the scheme in the url");
    }

    [Fact]
    public void NumbersOutOfRange_AreReported()
    {
        var r = LoadCase("numbers.yaml");
        AssertError(r, 2, 19, "'max_active_tasks' must be at least 1, found 0");
        AssertError(r, 3, 18, "'max_active_runs' must be at least 1, found -1");
        AssertError(r, 7, 14, "'retries' of task 'a' must be 0 or more, found -1");
        AssertError(r, 8, 17, "'pool_slots' of task 'a' must be at least 1, found 0");
        AssertError(r, 9, 24, "'skip_on_exit_code'", "300");
    }

    [Fact]
    public void SuspiciousButLegal_GivesWarningsAndStillLoads()
    {
        var r = LoadCase("warnings.yaml");
        Assert.False(r.HasErrors, Dump(r));
        Assert.NotNull(r.Dag);
        AssertWarning(r, 2, 11, "has no 'start_date'", "registered");
        AssertWarning(r, 12, 9, "task 'lonely' is not connected to the rest of the DAG");
    }

    [Fact]
    public void CatchupWithoutStartDate_IsAnError() =>
        AssertError(LoadCase("catchup_without_start.yaml"), 3, 10, "'catchup: true' needs a 'start_date'");

    [Fact]
    public void MultiErrorFile_ReportsEveryProblemTogetherInLineOrder()
    {
        var r = LoadCase("multi_error.yaml");
        AssertError(r, 1, 5, "invalid DAG id");
        AssertError(r, 2, 11, "invalid schedule");
        AssertError(r, 3, 11, "unknown time zone 'Mars/Olympus'");
        AssertError(r, 6, 19, "unknown parameter 'missing'");
        AssertError(r, 7, 14, "expected an integer for 'retries'");
        AssertError(r, 9, 18, "'extrac'", "did you mean 'extract'?");
        AssertError(r, 10, 5, "unknown field 'comand'");
        AssertError(r, 11, 9, "duplicate task id 'extract'");
        AssertError(r, 12, 11, "http task but has no 'url'");
        var lines = r.Diagnostics.Select(d => d.Position.Line).ToList();
        Assert.Equal(lines.Order(), lines);
        Assert.All(r.Diagnostics, d => Assert.Equal(Case("multi_error.yaml"), d.Position.File));
    }

    [Fact]
    public void Diagnostic_PrintsAsFileLineColumn()
    {
        var d = LoadCase("self_dependency.yaml").Diagnostics.Single();
        Assert.Equal($"{Case("self_dependency.yaml")}:6:9: error: {d.Message}", d.ToString());
        Assert.True(char.IsLower(d.Message[0]));
    }
}

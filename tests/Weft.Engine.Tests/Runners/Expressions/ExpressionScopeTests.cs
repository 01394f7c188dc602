using System.Collections.Immutable;
using Weft.Core.Runs;
using Weft.Core.Templating;
using Weft.Engine.Runners;
using Weft.Engine.Runners.Expressions;

namespace Weft.Engine.Tests.Runners.Expressions;

public sealed class ExpressionScopeTests : IDisposable
{
    private readonly AttemptFixture _fx = new();

    public void Dispose() => _fx.Dispose();

    private ExpressionScope Scope(int attempt = 1) => new(_fx.Context(AttemptFixture.Shell("true", id: "load"), attempt));

    [Theory]
    [InlineData("${{ params.date }}", "2024-01-01")]
    [InlineData("${{ params.limit }}", "5")]
    [InlineData("${{ params.opts }}", "{\"a\":[1,2]}")]
    [InlineData("${{ params.missing }}", "")]
    [InlineData("${{ tasks.extract.outputs.rows }}", "42")]
    [InlineData("${{ tasks.extract.outputs.none || 'n/a' }}", "n/a")]
    [InlineData("${{ tasks.extract.outputs.rows || 'n/a' }}", "42")]
    [InlineData("${{ tasks.fetch.outputs.json.city }}", "Utrecht")]
    [InlineData("${{ tasks.fetch.outputs.json.temp }}", "21.5")]
    [InlineData("${{ tasks.fetch.outputs.payload.items[1].id }}", "b")]
    [InlineData("${{ tasks.fetch.outputs.payload.items[0] }}", "{\"id\":\"a\"}")]
    [InlineData("${{ tasks.fetch.outputs.payload.items[5].id || \"none\" }}", "none")]
    [InlineData("${{ tasks.fetch.outputs.dotted.key }}", "whole key")]
    [InlineData("${{ tasks.a.b.outputs.x }}", "dotted")]
    [InlineData("${{ tasks.extract.state }}", "success")]
    [InlineData("${{ tasks.other.state }}", "up_for_retry")]
    [InlineData("${{ tasks.never.state }}", "none")]
    [InlineData("${{ run.id }}", "manual__2026-11-22T10:00:00.000Z")]
    [InlineData("${{ run.logical_date }}", "2026-11-22T10:00:00.000Z")]
    [InlineData("${{ run.data_interval_start }}", "2026-11-21T10:00:00.000Z")]
    [InlineData("${{ run.data_interval_end }}", "2026-11-22T10:00:00.123Z")]
    [InlineData("${{ dag.id }}", "test_dag")]
    [InlineData("${{ task.id }}", "load")]
    [InlineData("${{ task.attempt }}", "3")]
    [InlineData("${{ secrets.token }}", "abc")]
    [InlineData("day=${{params.date}}/${{ task.id }}", "day=2024-01-01/load")]
    public void Render_Expression_GivesValue(string text, string expected)
    {
        _fx.SetParam("date", "2024-01-01");
        _fx.SetParam("limit", 5);
        _fx.SetParam("opts", new { a = new[] { 1, 2 } });
        _fx.Outputs["extract"] = new Dictionary<string, string> { ["rows"] = "42" };
        _fx.Outputs["a.b"] = new Dictionary<string, string> { ["x"] = "dotted" };
        _fx.Outputs["fetch"] = new Dictionary<string, string>
        {
            ["json"] = """{"city": "Utrecht", "temp": 21.5}""",
            ["payload"] = """{"items": [{"id": "a"}, {"id": "b"}]}""",
            ["dotted.key"] = "whole key",
        };
        _fx.States["extract"] = TaskState.Success;
        _fx.States["other"] = TaskState.UpForRetry;
        _fx.Secrets["token"] = "abc";

        Assert.Equal(expected, Scope(attempt: 3).Render(text));
    }

    [Theory]
    [InlineData("${{ tasks.extract.outputs.row }}", "outputs of task 'extract': count, rows")]
    [InlineData("${{ tasks.extract.outputs.rows.x }}", "outputs of task 'extract': count, rows")]
    [InlineData("${{ tasks.skipped.outputs.rows }}", "task 'skipped' (skipped) set no outputs")]
    public void Render_MissingOutput_FailsListingTheOutputsThatExist(string text, string listed)
    {
        _fx.Outputs["extract"] = new Dictionary<string, string> { ["rows"] = "42", ["count"] = "1" };
        _fx.States["extract"] = TaskState.Success;
        _fx.States["skipped"] = TaskState.Skipped;

        var e = Assert.Throws<TaskSetupException>(() => Scope().Render(text));

        Assert.Contains("missing output", e.Message, StringComparison.Ordinal);
        Assert.Contains(listed, e.Message, StringComparison.Ordinal);
        Assert.Contains("|| 'none'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderShell_ValueGoesToAVariable_NotIntoTheCommand()
    {
        _fx.SetParam("p", "a b'c");
        var values = new Dictionary<string, string>();

        Assert.Equal("echo \"$WEFT_V_1\" \"${WEFT_V_2}\"", Scope().RenderShell("echo ${{ params.p }} \"${{ params.p }}\"", values));
        Assert.Equal("a b'c", values["WEFT_V_1"]);
        Assert.Equal("a b'c", values["WEFT_V_2"]);
    }

    [Fact]
    public void RenderUrl_ValueInPathOrQuery_IsPercentEncoded()
    {
        _fx.SetParam("p", "a b/&c=d#e");
        _fx.SetParam("host", "example.test:8080");

        Assert.Equal("http://example.test:8080/x/a%20b%2F%26c%3Dd%23e?q=a%20b%2F%26c%3Dd%23e",
            Scope().RenderUrl("http://${{ params.host }}/x/${{ params.p }}?q=${{ params.p }}"));
        var e = Assert.Throws<TaskSetupException>(() => Scope().RenderUrl("http://${{ params.p }}/x"));
        Assert.Contains("host part", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoExpression_ReturnsSameString()
    {
        const string text = "echo plain";

        Assert.Same(text, Scope().Render(text));
    }

    [Fact]
    public void Resolve_UnknownSecret_ThrowsWithName()
    {
        var e = Assert.Throws<TaskSetupException>(() => Scope().Render("${{ secrets.api_token }}"));

        Assert.Contains("unknown secret 'api_token'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownRunField_Throws()
    {
        Assert.Throws<TaskSetupException>(() => Scope().Resolve(new ExpressionReference("run", ["color"], "run.color", 0)));
    }

    [Fact]
    public void Resolve_NullDates_AreEmpty()
    {
        var context = _fx.Context(AttemptFixture.Shell("true"));
        var scope = new ExpressionScope(new TaskExecutionContext
        {
            Dag = context.Dag, Task = context.Task, RunId = "r", Attempt = 1, Params = ImmutableDictionary<string, System.Text.Json.JsonElement>.Empty,
            Outputs = context.Outputs, States = context.States, TmpDir = _fx.TmpDir, TasksDir = _fx.TasksDir, Log = _fx.Log,
        });

        Assert.Equal("[]", scope.Render("[${{ run.logical_date }}]"));
    }

    [Fact]
    public void SecretValues_RecordsResolvedSecrets()
    {
        _fx.Secrets["a"] = "one";
        var scope = Scope();

        scope.Render("${{ secrets.a }} ${{ params.x }}");

        Assert.Equal(["one"], scope.SecretValues);
    }
}

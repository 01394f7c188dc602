using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Weft.Core.Diagnostics;
using Weft.Engine.Operations;
using Weft.Server.Api.Models;
using Weft.Server.Dags;

namespace Weft.Server.Api;

/// <summary>
/// <c>POST /api/v1/dags</c> and <c>PUT /api/v1/dags/{dag_id}</c>: reads the body as the DAG's text, has
/// <see cref="OperatorActions.UploadDagAsync"/> validate and store it, and renders the outcome. A DAG with errors is a
/// 400 whose detail lists every problem as <c>weft validate</c> prints it and whose <c>errors</c> give their lines.
/// </summary>
internal static class DagUploads
{
    public static async Task<Results<Created<DagResponse>, Ok<DagResponse>, ProblemHttpResult>> HandleAsync(
        HttpRequest request, string? dagId, OperatorActions actions, DagCatalog catalog, DagList list, CancellationToken cancellationToken)
    {
        string text;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Problems.BadRequest("the body is empty; send the DAG's YAML or JSON text");
        }

        DagUploadOutcome outcome;
        try
        {
            outcome = await actions.UploadDagAsync(new DagUpload(text, dagId, Replace: dagId is not null), AuditLog.Actor(request.HttpContext), cancellationToken);
        }
        catch (OperationException refused)
        {
            return Problems.From(refused);
        }
        finally
        {
            list.Invalidate();
        }

        if (outcome.Record is not { } record)
        {
            var errors = outcome.Load.Diagnostics;
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Bad request",
                Type = Problems.TypeFor(StatusCodes.Status400BadRequest),
                Detail = string.Join("\n", errors.Select(d => d.ToString())),
            };
            problem.Extensions["errors"] = Diagnostics(errors);
            return TypedResults.Problem(problem);
        }

        var response = ApiMapper.Dag(record, outcome.Load, DateTimeOffset.UtcNow) with { Warnings = outcome.Load.Diagnostics.IsEmpty ? null : Diagnostics(outcome.Load.Diagnostics) };
        return outcome.Created
            ? TypedResults.Created($"/api/v1/dags/{Uri.EscapeDataString(record.DagId)}", response)
            : TypedResults.Ok(response);
    }

    private static List<DiagnosticResponse> Diagnostics(IEnumerable<Diagnostic> diagnostics) =>
        [.. diagnostics.Select(d => new DiagnosticResponse(
            d.Severity == DiagnosticSeverity.Error ? "error" : "warning", d.Position.Line, d.Position.Column, d.Message))];
}

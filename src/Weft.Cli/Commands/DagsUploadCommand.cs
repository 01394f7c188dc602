using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Weft.Cli.Commands;

/// <summary>
/// <c>weft dags upload FILE --server URL [--token T]</c>: checks the file here, then sends it to a server's
/// <c>PUT /api/v1/dags/{id}</c>, which stores it (creating or replacing it) and schedules it. The server's answer
/// decides: its problems are printed against the local file, as <c>weft validate</c> prints them.
/// </summary>
internal sealed class DagsUploadCommand : WeftCommand
{
    private readonly Argument<string> _file = new("FILE") { Description = "The DAG file (YAML or JSON)" };

    private readonly Option<string> _server = new("--server")
    {
        Description = "The server's base URL, e.g. http://127.0.0.1:8080",
        HelpName = "URL",
        Required = true,
    };

    private readonly Option<string?> _token = new("--token")
    {
        Description = "An API token with the author or admin role [default: WEFT_TOKEN]",
        HelpName = "TOKEN",
    };

    public DagsUploadCommand()
        : base("upload", "Upload a DAG file to a server, which stores and schedules it (creates or replaces it)")
    {
        Arguments.Add(_file);
        Options.Add(_server);
        Options.Add(_token);
    }

    protected override async Task<int> ExecuteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var parse = context.ParseResult;
        var file = parse.GetRequiredValue(_file);
        var dag = DagTargets.Load(context, file);
        var text = await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false);
        var server = ServerApi.Url(parse.GetRequiredValue(_server));
        var token = ServerApi.Token(parse.GetValue(_token), "a token with the author or admin role: 'weft tokens create --name ci --role author'");
        using var http = ServerApi.Client(server, token, TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/v1/dags/{Uri.EscapeDataString(dag.Id)}")
        {
            Content = new StringContent(text, Encoding.UTF8, text.TrimStart().StartsWith('{') ? "application/json" : "application/yaml"),
        };
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw ServerApi.Unreachable(server, e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var json = TryParse(body);
            if (response.IsSuccessStatusCode)
            {
                WriteProblems(context, file, json?.RootElement, "warnings");
                if (context.Json)
                {
                    context.Out.WriteLine(body);
                }
                else
                {
                    context.WriteInfo($"DAG {dag.Id} {(response.StatusCode == HttpStatusCode.Created ? "uploaded" : "replaced")} on {server}");
                }

                return ExitCodes.Success;
            }

            var detail = json?.RootElement.TryGetProperty("detail", out var d) == true ? d.GetString() : body;
            switch (response.StatusCode)
            {
                case HttpStatusCode.BadRequest when json is not null && json.RootElement.TryGetProperty("errors", out _):
                    WriteProblems(context, file, json.RootElement, "errors");
                    return ExitCodes.Usage;
                case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                    throw CliException.Usage($"the server refused the token ({(int)response.StatusCode}): {detail}", "uploading takes a token with the author or admin role");
                default:
                    throw CliException.Usage($"the server refused the DAG ({(int)response.StatusCode}): {detail}");
            }
        }
    }

    /// <summary>The server's diagnostics, printed against the local file as <c>FILE:LINE:COL: severity: message</c>.</summary>
    private static void WriteProblems(CliContext context, string file, JsonElement? root, string property)
    {
        if (root is not { ValueKind: JsonValueKind.Object } r || !r.TryGetProperty(property, out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var p in list.EnumerateArray())
        {
            context.Error.WriteLine($"{file}:{p.GetProperty("line").GetInt32()}:{p.GetProperty("column").GetInt32()}: {p.GetProperty("severity").GetString()}: {p.GetProperty("message").GetString()}");
        }
    }

    private static JsonDocument? TryParse(string body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

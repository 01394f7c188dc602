using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weft.Server.Auth;

namespace Weft.Server.Tests.Api;

/// <summary>
/// A property test: seeded random mutations of a valid body for every endpoint that reads one (wrong types, hostile
/// keys and values, lone-surrogate escapes, broken syntax, invalid UTF-8) are answered with a 2xx or a 4xx problem,
/// never a 5xx, and the server stays up.
/// </summary>
public sealed class RequestBodyMutationTests
{
    private const int CasesPerEndpoint = 300;

    private const string FuzzDag = """
        id: fuzz
        params: { who: world, n: 1 }
        tasks:
          - id: a
          - id: b
            depends_on: [a]
        """;

    // Values that stress a binder or what reads the bound value later.
    private static readonly string[] HostileJson =
    [
        "\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud800\\ud800\"", "\"\\u0000\"", "\"\"", "null", "true", "0", "-1", "1e999", "-1e999",
        "99999999999999999999999999999", "1.5", "\"../../etc/passwd\"", "\"%00\"", "\"" + new string('x', 5000) + "\"", "[]", "{}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "{\"\\ud800\": 1}", "\"2024-13-45T99:00:00Z\"", "\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.9999999+14:00\"",
        "\"success\"", "\"failed\"", "\"queued\"", "\"admin\"", "\"greet\"", "[\"a\", \"\\ud800\", 3]", "\"${{ params.who }}\"",
    ];

    private static readonly string[] HostileKeys = ["\\ud800", "", "__proto__", "conf", "CONF", "state", "a\\u0000b", "task_ids", "name", "slots"];

    private static readonly string[] Fragments = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null", "//", "/*", "\uFEFF", "\0", " ", "\n"];

    [Fact]
    public async Task EveryBodyEndpoint_300SeededMutationsEach_NoServerError()
    {
        await using var server = await ServerHarness.StartAsync(new()
        {
            ["Server:AuthFailuresPerMinute"] = "100000",
            ["Server:DagRescanInterval"] = "00:00:00.100",
        });
        var dags = Path.Combine(Path.GetDirectoryName(server.Home)!, "dags");
        // Written aside and moved in, so the folder scan never reads a half-written file.
        await File.WriteAllTextAsync(Path.Combine(dags, "fuzz.tmp"), FuzzDag);
        File.Move(Path.Combine(dags, "fuzz.tmp"), Path.Combine(dags, "fuzz.yaml"));
        var admin = server.As(Roles.Admin);
        await WaitForDagAsync(admin);
        var runId = await server.TriggerAsync("fuzz");
        await server.WaitForRunAsync("fuzz", runId, "success");
        var run = Uri.EscapeDataString(runId);

        (HttpMethod Method, string Url, string Body)[] endpoints =
        [
            (HttpMethod.Patch, "/api/v1/dags/fuzz", """{"is_paused": false}"""),
            (HttpMethod.Post, "/api/v1/dags/fuzz/dagRuns", """{"conf": {"who": "x", "n": 2}, "logical_date": "2024-01-01T00:00:00Z", "run_id": "r1"}"""),
            (HttpMethod.Patch, $"/api/v1/dags/fuzz/dagRuns/{run}", """{"state": "success"}"""),
            (HttpMethod.Post, $"/api/v1/dags/fuzz/dagRuns/{run}/clear", """{"task_ids": ["a"], "only_failed": false, "include_downstream": true, "dry_run": true}"""),
            (HttpMethod.Patch, $"/api/v1/dags/fuzz/dagRuns/{run}/taskInstances/b", """{"state": "success"}"""),
            (HttpMethod.Post, $"/api/v1/dags/fuzz/dagRuns/{run}/taskInstances/a/clear", """{"include_downstream": false, "dry_run": true}"""),
            (HttpMethod.Post, "/api/v1/pools", """{"name": "p1", "slots": 3}"""),
            (HttpMethod.Patch, "/api/v1/pools/default_pool", """{"slots": 128}"""),
            (HttpMethod.Post, "/api/v1/tokens", """{"name": "t1", "role": "viewer"}"""),
            (HttpMethod.Put, "/api/v1/secrets/s1", """{"value": "v"}"""),
        ];

        var random = new Random(20261206);
        var cases = 0;
        var failures = new List<string>();
        foreach (var (method, url, body) in endpoints)
        {
            for (var i = 0; i < CasesPerEndpoint; i++, cases++)
            {
                var bytes = Mutate(body, random);
                using var request = new HttpRequestMessage(method, url) { Content = new ByteArrayContent(bytes) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await admin.SendAsync(request);
                var status = (int)response.StatusCode;
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500 || (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                {
                    failures.Add($"{method} {url} case {i}: {status} {text}\n--- body ---\n{Encoding.UTF8.GetString(bytes)}");
                }
            }
        }

        Assert.Equal(endpoints.Length * CasesPerEndpoint, cases);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed:\n{string.Join("\n\n", failures.Take(5))}");
        using var health = await server.Anonymous().GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/v1/dags/hello/dagRuns", """{"conf":{"who":"\ud800"}}""")]
    [InlineData("POST", "/api/v1/dags/hello/dagRuns", """{"conf":{"who":{"\udc00":1}}}""")]
    [InlineData("POST", "/api/v1/dags/hello/dagRuns", """{"run_id":"\ud800"}""")]
    [InlineData("PATCH", "/api/v1/dags/hello/dagRuns/r1", """{"state":"\ud800"}""")]
    [InlineData("POST", "/api/v1/tokens", """{"name":"\ud800","role":"viewer"}""")]
    [InlineData("PUT", "/api/v1/secrets/s1", """{"value":"a\udc00"}""")]
    public async Task LoneSurrogateEscape_Is400_SayingWhatIsWrong(string method, string url, string body)
    {
        await using var server = await ServerHarness.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await server.As(Roles.Admin).SendAsync(request);

        await AuthTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains("UTF-16", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PATCH", "/api/v1/dags/hello/dagRuns/r1", """{"state": 5}""", "$.state")]
    [InlineData("POST", "/api/v1/pools", """{"name": "p", "slots": "many"}""", "$.slots")]
    [InlineData("POST", "/api/v1/dags/hello/dagRuns/r1/clear", """{"task_ids": "greet"}""", "$.task_ids")]
    public async Task WrongJsonType_Is400_NamingWhereItStands(string method, string url, string body, string path)
    {
        await using var server = await ServerHarness.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await server.As(Roles.Admin).SendAsync(request);

        await AuthTests.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains(path, detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Weft.", detail, StringComparison.Ordinal);
    }

    /// <summary>
    /// Half the cases change the JSON's structure (a value replaced by a hostile one, a key renamed or added, the
    /// root replaced); the other half, and some of the first, edit the text or its bytes.
    /// </summary>
    private static byte[] Mutate(string body, Random random)
    {
        var text = body;
        if (random.Next(2) == 0)
        {
            var root = JsonNode.Parse(body)!.AsObject();
            var keys = root.Select(p => p.Key).ToList();
            switch (random.Next(4))
            {
                case 0:
                    root[keys[random.Next(keys.Count)]] = Hostile(random);
                    break;
                case 1:
                    var key = keys[random.Next(keys.Count)];
                    var value = root[key]?.DeepClone();
                    root.Remove(key);
                    text = root.ToJsonString().TrimEnd('}') + (root.Count > 0 ? ", " : string.Empty) + $"\"{HostileKeys[random.Next(HostileKeys.Length)]}\": {value?.ToJsonString() ?? "null"}}}";
                    return Edit(text, random, random.Next(3) == 0);
                case 2:
                    var nested = root.Select(p => p.Value).OfType<JsonObject>().FirstOrDefault();
                    if (nested is { Count: > 0 })
                    {
                        nested[nested.First().Key] = Hostile(random);
                    }
                    else
                    {
                        root[keys[random.Next(keys.Count)]] = Hostile(random);
                    }

                    break;
                default:
                    return Edit(HostileJson[random.Next(HostileJson.Length)], random, random.Next(4) == 0);
            }

            // The serializer escapes what a hostile value held literally; put raw escapes back.
            text = root.ToJsonString().Replace("\\\\u", "\\u", StringComparison.Ordinal);
            return Edit(text, random, random.Next(3) == 0);
        }

        return Edit(text, random, true);
    }

    private static JsonNode? Hostile(Random random) => JsonNode.Parse(HostileJson[random.Next(HostileJson.Length)].Replace("\\u", "\\\\u", StringComparison.Ordinal));

    private static byte[] Edit(string text, Random random, bool edit)
    {
        var sb = new StringBuilder(text);
        var edits = edit ? random.Next(1, 4) : 0;
        for (var e = 0; e < edits && sb.Length > 0; e++)
        {
            var at = random.Next(sb.Length);
            switch (random.Next(3))
            {
                case 0:
                    sb.Remove(at, Math.Min(random.Next(1, 8), sb.Length - at));
                    break;
                case 1:
                    sb.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                default:
                    sb[at] = (char)random.Next(0, 0x3000);
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        if (edit && random.Next(5) == 0 && bytes.Length > 0)
        {
            // Invalid UTF-8: a stray continuation or lead byte.
            bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
        }

        return bytes;
    }

    private static async Task WaitForDagAsync(HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await client.GetAsync("/api/v1/dags/fuzz")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "the fuzz DAG was never registered");
            await Task.Delay(50);
        }
    }
}

namespace Weft.Cli.Tests;

/// <summary>DAG files the CLI tests share.</summary>
internal static class Dags
{
    public const string Diamond = """
        id: diamond
        description: a fans out to b and c, which join in d
        tasks:
          - id: a
            command: echo a
          - id: b
            command: echo b
            depends_on: [a]
          - id: c
            command: echo c
            depends_on: [a]
          - id: d
            command: echo d
            depends_on: [b, c]
        """;

    public const string DiamondJson = """
        {
          "id": "diamond_json",
          "tasks": [
            { "id": "a", "command": "echo a" },
            { "id": "b", "depends_on": ["a"] },
            { "id": "c", "depends_on": ["a"] },
            { "id": "d", "depends_on": ["b", "c"] }
          ]
        }
        """;

    /// <summary>Two errors: a misspelt field on line 5 and a dependency on a task that does not exist.</summary>
    public const string Bad = """
        id: bad
        tasks:
          - id: a
            command: echo a
            retires: 3
          - id: b
            depends_on: [a, ghost]
        """;

    /// <summary>Running it would create <c>created.txt</c> next to it.</summary>
    public const string Touch = """
        id: toucher
        params:
          name: created.txt
          count: 0
          extra: ""
        tasks:
          - id: make
            command: touch ${{ params.name }}
          - id: after
            type: noop
            depends_on: [make]
        """;
}

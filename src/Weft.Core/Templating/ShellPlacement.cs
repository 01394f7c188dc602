namespace Weft.Core.Templating;

/// <summary>Where an expression stands in a bash command, which decides how its variable is referenced.</summary>
internal enum ShellPlacementKind
{
    /// <summary>Unquoted, as (part of) a word: rendered <c>"$WEFT_V_n"</c>.</summary>
    Word,

    /// <summary>Inside double quotes, an unquoted here-document body or a comment: rendered <c>${WEFT_V_n}</c>.</summary>
    Expanded,

    /// <summary>In the word of a <c>${name…word}</c> expansion: rendered <c>"${WEFT_V_n}"</c>, quoted so a pattern stays literal.</summary>
    ParameterWord,

    /// <summary>Nowhere a value can be inserted safely (single quotes, arithmetic, a variable name, …).</summary>
    Refused,
}

/// <summary>The placement of one expression, and for a refused one what is wrong and what to write instead.</summary>
internal readonly record struct ShellPlacement(ShellPlacementKind Kind, string? Problem = null)
{
    public static ShellPlacement Refuse(string problem) => new(ShellPlacementKind.Refused, problem);
}

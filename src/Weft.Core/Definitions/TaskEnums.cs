using Weft.Core.Runs;

namespace Weft.Core.Definitions;

/// <summary>Trigger rules and backoff kinds by their contract names, with suggestions for misspellings.</summary>
internal static class TaskEnums
{
    private static readonly string[] BackoffNames = ["fixed", "linear", "exponential"];

    public static bool TryTriggerRule(string text, SourceNode node, FieldReader r, out TriggerRule rule)
    {
        var name = text.Trim().ToLowerInvariant();
        if (StateNames.TryParseTriggerRule(name, out rule))
        {
            return true;
        }

        var hint = NameSuggester.Hint(name, StateNames.TriggerRuleNames);
        r.Error(node.Position, $"unknown trigger rule '{text}'{(hint.Length > 0 ? hint : $"; expected one of {string.Join(", ", StateNames.TriggerRuleNames)}")}");
        return false;
    }

    public static bool TryBackoff(string text, SourceNode node, FieldReader r, out RetryBackoff backoff)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "fixed" or "constant":
                backoff = RetryBackoff.Fixed;
                return true;
            case "linear":
                backoff = RetryBackoff.Linear;
                return true;
            case "exponential":
                backoff = RetryBackoff.Exponential;
                return true;
        }

        backoff = default;
        var hint = NameSuggester.Hint(text.Trim(), BackoffNames);
        r.Error(node.Position, $"unknown retry backoff '{text}'{(hint.Length > 0 ? hint : "; expected fixed, linear or exponential")}");
        return false;
    }
}

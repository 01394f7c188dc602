namespace Weft.Engine.Operations;

/// <summary>Why an operator action was refused; the front ends map it to their own codes.</summary>
internal enum OperationError
{
    /// <summary>The DAG, run, task or pool named does not exist (CLI exit 1, HTTP 404).</summary>
    NotFound,

    /// <summary>The request itself is wrong: an unknown parameter, a value of the wrong type (CLI exit 2, HTTP 400).</summary>
    Invalid,

    /// <summary>The request is well-formed but the current state refuses it: a DAG that does not load, a taken run id (CLI exit 2, HTTP 409).</summary>
    Conflict,
}

/// <summary>An operator action that was refused, with the same message whichever front end asked.</summary>
internal sealed class OperationException(OperationError error, string message, string? hint = null) : Exception(message)
{
    /// <summary>What kind of refusal it is.</summary>
    public OperationError Error { get; } = error;

    /// <summary>What the operator can do instead; null when there is nothing useful to say.</summary>
    public string? Hint { get; } = hint;

    public static OperationException NotFound(string message, string? hint = null) => new(OperationError.NotFound, message, hint);

    public static OperationException Invalid(string message, string? hint = null) => new(OperationError.Invalid, message, hint);

    public static OperationException Conflict(string message, string? hint = null) => new(OperationError.Conflict, message, hint);
}

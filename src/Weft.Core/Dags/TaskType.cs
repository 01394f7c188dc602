namespace Weft.Core.Dags;

/// <summary>What a task runs.</summary>
public enum TaskType
{
    /// <summary>Does nothing and succeeds; useful for joins.</summary>
    Noop,
    /// <summary>A shell command, run by <c>/bin/bash -eo pipefail -c</c> (or directly when it has no shell syntax).</summary>
    Shell,
    /// <summary>A script file, with an interpreter chosen by its extension.</summary>
    Script,
    /// <summary>An HTTP request.</summary>
    Http,
    /// <summary>A C# delegate registered through the library.</summary>
    Delegate,
    /// <summary>A Python function (<c>function: "package.module:func"</c>), called with the run's parameters and <c>args</c> as keyword arguments.</summary>
    Python,
}

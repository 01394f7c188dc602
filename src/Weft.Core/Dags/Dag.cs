namespace Weft;

/// <summary>The entry point for DAGs built in C#: <c>Dag.Create("etl").Schedule("0 2 * * *").Task(…).Build()</c>.</summary>
public static class Dag
{
    /// <summary>Starts a DAG with the given id.</summary>
    public static DagBuilder Create(string id) => new(id);
}

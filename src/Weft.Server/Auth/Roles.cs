namespace Weft.Server.Auth;

/// <summary>
/// The four roles, each including the ones before it: a viewer reads; an operator also triggers, clears, marks
/// and pauses; an author also uploads, replaces and deletes DAGs through the API; an admin also manages tokens,
/// pools and secrets. Policies have the roles' names.
/// </summary>
internal static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Author = "author";
    public const string Admin = "admin";

    /// <summary>Every role, weakest first.</summary>
    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Author, Admin];

    /// <summary>True for a role name.</summary>
    public static bool IsRole(string? name) => name is Viewer or Operator or Author or Admin;

    /// <summary>The role and every weaker one: what a token with <paramref name="role"/> may act as.</summary>
    public static IEnumerable<string> Granted(string role) => role switch
    {
        Admin => All,
        Author => [Viewer, Operator, Author],
        Operator => [Viewer, Operator],
        Viewer => [Viewer],
        _ => [],
    };
}

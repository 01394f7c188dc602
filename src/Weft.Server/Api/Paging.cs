using Microsoft.AspNetCore.Http.HttpResults;

namespace Weft.Server.Api;

/// <summary><c>limit</c> and <c>offset</c> of a list: limit 1–1000, default 100; offset from 0.</summary>
internal readonly record struct Paging(int Limit, int Offset)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>The page asked for, or a 400 problem.</summary>
    public static bool TryCreate(int? limit, int? offset, out Paging paging, out ProblemHttpResult? problem)
    {
        paging = new Paging(limit ?? DefaultLimit, offset ?? 0);
        problem = null;
        if (paging.Limit is < 1 or > MaxLimit)
        {
            problem = Problems.BadRequest($"limit must be between 1 and {MaxLimit}");
            return false;
        }

        if (paging.Offset < 0)
        {
            problem = Problems.BadRequest("offset must not be negative");
            return false;
        }

        return true;
    }

    /// <summary>This page of an in-memory list.</summary>
    public List<T> Apply<T>(IEnumerable<T> items) => items.Skip(Offset).Take(Limit).ToList();
}

using Xunit.Abstractions;
using Xunit.Sdk;

namespace Weft.Storage.Tests;

/// <summary>
/// A test of the store contract. It runs like a <see cref="FactAttribute"/>, except in a test class marked
/// <see cref="RequiresDatabaseAttribute"/> whose environment variable is not set: there it is skipped with the
/// attribute's message, unless <c>CI</c> is set, where it runs and fails saying what is missing.
/// </summary>
[XunitTestCaseDiscoverer("Weft.Storage.Tests.StoreFactDiscoverer", "Weft.Storage.Contract.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>The database a contract test class needs: an environment variable naming it, and how to get one.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresDatabaseAttribute(string variable, string howToRun) : Attribute
{
    public string Variable { get; } = variable;

    public string HowToRun { get; } = howToRun;

    /// <summary>The skip reason when the variable is missing outside CI, or null when the tests should run.</summary>
    public string? SkipReason =>
        !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)) || IsCi
            ? null
            : $"{Variable} is not set: {HowToRun}";

    private static bool IsCi => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));
}

/// <summary>Finds <see cref="StoreFactAttribute"/> tests and gives them the skip reason of their class's database.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var skip = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresDatabaseAttribute))
            .Select(a => new RequiresDatabaseAttribute(a.GetConstructorArguments().ElementAt(0) as string ?? "",
                a.GetConstructorArguments().ElementAt(1) as string ?? "").SkipReason)
            .FirstOrDefault(r => r is not null);
        yield return new StoreTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(),
            discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, skip);
    }
}

/// <summary>A test case whose skip reason comes from its class's database rather than from the attribute.</summary>
public sealed class StoreTestCase : XunitTestCase
{
    private string? _skipReason;

    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod method, string? skipReason)
        : base(sink, display, options, method)
    {
        _skipReason = skipReason;
    }

    protected override string? GetSkipReason(IAttributeInfo factAttribute) => _skipReason ?? base.GetSkipReason(factAttribute);

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReason", _skipReason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        _skipReason = data.GetValue<string?>("SkipReason");
        base.Deserialize(data);
    }
}

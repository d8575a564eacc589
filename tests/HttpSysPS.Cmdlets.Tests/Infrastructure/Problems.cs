namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>Assertions over rule results that print every violation, not just the first.</summary>
public static class Problems
{
    /// <summary>Fails listing <paramref name="problems"/> when there are any.</summary>
    public static void AssertNone(IEnumerable<string> problems, string subject)
    {
        var list = problems.ToList();
        Assert.True(list.Count == 0, $"{subject}:\n  - {string.Join("\n  - ", list)}");
    }

    /// <summary>Fails unless some problem contains every one of <paramref name="fragments"/>.</summary>
    public static void AssertReported(IEnumerable<string> problems, params string[] fragments)
    {
        var list = problems.ToList();
        Assert.True(
            list.Any(p => fragments.All(f => p.Contains(f, StringComparison.Ordinal))),
            $"expected a problem containing [{string.Join("] and [", fragments)}]; got:\n  - {string.Join("\n  - ", list)}");
    }
}

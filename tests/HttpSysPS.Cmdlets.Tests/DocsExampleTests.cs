using System.Text.RegularExpressions;
using HttpSysPS.Cmdlets.Tests.Infrastructure;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>
/// Examples in docs/ that the suite runs: the page shows the file, and the file runs as a Pester test
/// (tests/pester, run by the README's test command), so the page cannot show an example that no longer works.
/// </summary>
public sealed partial class DocsExampleTests
{
    [Theory]
    [InlineData("docs/smoke-testing.md", "tests/pester/SmokeTest.Example.Tests.ps1")]
    public void The_pages_powershell_block_is_the_test_file(string page, string testFile)
    {
        var markdown = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, page));
        var blocks = PowerShellBlock().Matches(markdown.ReplaceLineEndings("\n")).Select(m => m.Groups["code"].Value).ToArray();
        var file = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, testFile)).ReplaceLineEndings("\n");

        var block = Assert.Single(blocks);
        Assert.Equal(file, block);
    }

    // A fenced ```powershell block, from the line after the fence to the closing fence (its last newline included).
    [GeneratedRegex(@"^```powershell[ \t]*\n(?<code>.*?\n)```[ \t]*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex PowerShellBlock();
}

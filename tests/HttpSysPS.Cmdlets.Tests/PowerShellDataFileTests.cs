using HttpSysPS.Cmdlets.Tests.Infrastructure;

namespace HttpSysPS.Cmdlets.Tests;

public class PowerShellDataFileTests
{
    [Fact]
    public void Reads_the_manifest_subset_of_PowerShell()
    {
        var data = PowerShellDataFile.ParseHashtable(""""
            # line comment
            <# block
               comment #>
            @{
                Plain = 'it''s'; Double = "tab`there ""quoted"""
                'Quoted Key' = 'v'
                List = 'a', 'b',
                    'c'
                Array = @(
                    'x'   # trailing comment
                    'y', 'z'
                )
                Empty = @()
                Flags = $true, $False, $null
                Number = -42
                Nested = @{ Inner = @{ Deep = 'd' } }
            }
            """");

        Assert.Equal("it's", data["Plain"]);
        Assert.Equal("tab\there \"quoted\"", data["double"]);
        Assert.Equal("v", data["Quoted Key"]);
        Assert.Equal(["a", "b", "c"], PowerShellDataFile.Strings(data["List"]));
        Assert.Equal(["x", "y", "z"], PowerShellDataFile.Strings(data["Array"]));
        Assert.Empty(PowerShellDataFile.Strings(data["Empty"]));
        Assert.Equal(new object?[] { true, false, null }, (List<object?>)data["Flags"]!);
        Assert.Equal(-42L, data["Number"]);
        var inner = (Dictionary<string, object?>)((Dictionary<string, object?>)data["Nested"]!)["Inner"]!;
        Assert.Equal("d", inner["Deep"]);
    }

    [Theory]
    [InlineData("@{ A = $env:HOME }", "variable $env")]
    [InlineData("@{ A = \"hello $name\" }", "expandable")]
    [InlineData("@{ A = 'open }", "never closed")]
    [InlineData("@{ A 'x' }", "expected '=' after key 'A'")]
    [InlineData("@{ A = 'x' B = 'y' }", "expected ';', a new line or '}'")]
    [InlineData("@{ A = 'x'; a = 'y' }", "duplicate key 'a'")]
    [InlineData("'just a string'", "the top level must be a hashtable")]
    [InlineData("@{ A = Get-Date }", "line 1, column 8")]
    public void Rejects_what_a_data_file_may_not_contain(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => PowerShellDataFile.ParseHashtable(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}

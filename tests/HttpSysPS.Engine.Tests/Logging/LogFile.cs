namespace HttpSysPS.Engine.Tests.Logging;

/// <summary>A W3C log file read back: its directives, and each line as a field-name → value map by its #Fields line.</summary>
internal sealed record LogFile(IReadOnlyList<string> Directives, IReadOnlyList<IReadOnlyDictionary<string, string>> Lines)
{
    public static LogFile Read(string path)
    {
        var all = File.ReadAllLines(path);
        var directives = all.TakeWhile(l => l.StartsWith('#')).ToArray();
        var fields = directives.Single(d => d.StartsWith("#Fields: ", StringComparison.Ordinal))["#Fields: ".Length..].Split(' ');
        var lines = all.Skip(directives.Length).Select(line =>
        {
            var values = line.Split(' ');
            Assert.Equal(fields.Length, values.Length);
            return (IReadOnlyDictionary<string, string>)fields.Zip(values).ToDictionary(p => p.First, p => p.Second);
        }).ToArray();
        return new LogFile(directives, lines);
    }
}

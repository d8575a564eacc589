namespace HttpSysPS.HelpGen;

/// <summary>
/// A help Markdown file that does not follow the platyPS schema. The message names the file, the line and the
/// heading under which the problem sits, so a build error points straight at what to fix.
/// </summary>
public sealed class HelpFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> at <paramref name="line"/> (1-based; 0 when unknown).</summary>
    public HelpFormatException(string file, int line, string heading, string problem)
        : base($"{file}({line}): under '{heading}': {problem}")
    {
        File = file;
        Line = line;
        Heading = heading;
        Problem = problem;
    }

    /// <summary>Path of the Markdown file as given to the parser.</summary>
    public string File { get; }

    /// <summary>1-based line of the problem, or 0 when it concerns the whole file.</summary>
    public int Line { get; }

    /// <summary>The Markdown heading (e.g. <c>## SYNOPSIS</c> or <c>### -Name</c>) the problem belongs to.</summary>
    public string Heading { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}

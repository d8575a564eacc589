namespace HttpSysPS.Host;

/// <summary><c>httpsys serve</c>: not built yet (engine issue).</summary>
internal static class ServeCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("httpsys serve: not available yet.");
        return Task.FromResult(2);
    }
}

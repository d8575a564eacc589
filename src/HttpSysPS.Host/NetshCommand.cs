namespace HttpSysPS.Host;

/// <summary>netsh-compatible provisioning verbs: not built yet (provisioning issue).</summary>
internal static class NetshCommand
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("httpsys " + string.Join(' ', args) + ": not available yet.");
        return 2;
    }
}

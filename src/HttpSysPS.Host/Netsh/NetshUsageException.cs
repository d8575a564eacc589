namespace HttpSysPS.Host.Netsh;

/// <summary>A command line that is not valid netsh syntax (exit code 2, like a usage error).</summary>
internal sealed class NetshUsageException(string message) : Exception(message);

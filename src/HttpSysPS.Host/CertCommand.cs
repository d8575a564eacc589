using HttpSysPS.Engine;
using HttpSysPS.Engine.Tls;

namespace HttpSysPS.Host;

/// <summary><c>httpsys cert new --dns NAME [--dns NAME ...] --out DIR</c>: a self-signed development certificate as a PEM pair.</summary>
internal static class CertCommand
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] != "new")
        {
            Console.Error.WriteLine("usage: httpsys cert new --dns <name> [--dns <name> ...] --out <dir>");
            return ExitCodes.Usage;
        }

        var names = new List<string>();
        string? output = null;
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--dns" when value is not null:
                    names.Add(value);
                    i++;
                    break;
                case "--out" when value is not null:
                    output = value;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"httpsys cert new: unknown or incomplete option '{args[i]}'.");
                    return ExitCodes.Usage;
            }
        }

        if (names.Count == 0 || output is null)
        {
            Console.Error.WriteLine("httpsys cert new: give at least one --dns and an --out directory.");
            return ExitCodes.Usage;
        }

        DevelopmentCertificateFiles files;
        try
        {
            files = DevelopmentCertificate.New(names, output);
        }
        catch (HttpSysException e)
        {
            Console.Error.WriteLine($"httpsys cert new: {e.Message}");
            return ExitCodes.For(e.Reason);
        }
        catch (ArgumentException e)
        {
            // A name SubjectAlternativeNameBuilder refuses (not a DNS name or IP literal).
            Console.Error.WriteLine($"httpsys cert new: {e.Message}");
            return ExitCodes.Usage;
        }

        Console.WriteLine($"Certificate: {files.CertificateFile}");
        Console.WriteLine($"Key:         {files.KeyFile}");
        Console.WriteLine($"Thumbprint:  {files.Thumbprint}");
        Console.WriteLine($"Bind it:     httpsys add sslcert ipport=0.0.0.0:8443 certfile={files.CertificateFile} keyfile={files.KeyFile}");
        return ExitCodes.Success;
    }
}

using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// A temp directory of one's own holding a store path (not yet created) and, on demand, a development certificate
/// pair, so provisioning tests never share a store and can run in parallel.
/// </summary>
public sealed class ProvisioningStore : IDisposable
{
    private (string Cert, string Key)? _certificate;

    /// <summary>Creates the directory.</summary>
    public ProvisioningStore()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("httpsysps-prov-").FullName;
        Path = System.IO.Path.Combine(Directory, "config.json");
    }

    /// <summary>The temp directory.</summary>
    public string Directory { get; }

    /// <summary>The store file, <c>config.json</c> in <see cref="Directory"/>.</summary>
    public string Path { get; }

    /// <summary>Another store path in the same directory.</summary>
    public string Other(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>The store's bytes, or null while it does not exist.</summary>
    public byte[]? Bytes() => File.Exists(Path) ? File.ReadAllBytes(Path) : null;

    /// <summary>A PEM certificate and key written by New-HttpSysCertificate in <paramref name="session"/> (made once).</summary>
    public (string Cert, string Key) Certificate(ModuleSession session)
    {
        if (_certificate is null)
        {
            var dir = System.IO.Path.Combine(Directory, "certs");
            var result = session.Run("$c = New-HttpSysCertificate -DnsName localhost -OutputDirectory $args[0]; $c.CertificateFile; $c.KeyFile", dir);
            Assert.Empty(result.Errors);
            _certificate = ((string)result.Output[0].BaseObject, (string)result.Output[1].BaseObject);
        }

        return _certificate.Value;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; a failed cleanup must not fail the test.
        }
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace HttpSysPS.Host.Tests;

/// <summary><c>httpsys cert new</c> as a separate process: the PEM pair it writes, and that the store accepts it.</summary>
public sealed class CertCommandTests
{
    [Fact]
    public async Task Cert_new_writes_a_PEM_pair_that_add_sslcert_accepts()
    {
        using var temp = new TempDirectory();
        var output = temp.File("dev-cert");

        var (exit, stdout, stderr) = await Httpsys.RunAsync("cert", "new", "--dns", "localhost", "--dns", "127.0.0.1", "--out", output);

        Assert.True(exit == 0, stderr);
        var certFile = Path.Combine(output, "cert.pem");
        var keyFile = Path.Combine(output, "key.pem");
        using var certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        Assert.Contains(certificate.Thumbprint, stdout, StringComparison.Ordinal);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        var bind = await Httpsys.RunAsync("add", "sslcert", "ipport=0.0.0.0:8443", $"certfile={certFile}", $"keyfile={keyFile}", temp.Config);
        Assert.True(bind.ExitCode == 0, bind.Error);
        Assert.Contains(certFile, File.ReadAllText(temp.File("config.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cert", "new", "--out", "x")]
    [InlineData("cert", "new", "--dns", "localhost")]
    [InlineData("cert", "old", "--dns", "localhost", "--out", "x")]
    public async Task Cert_without_a_name_an_output_or_the_new_verb_is_a_usage_error(params string[] args)
    {
        var (exit, _, stderr) = await Httpsys.RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Contains("httpsys cert", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_output_path_that_is_a_file_is_a_one_line_error_with_the_InvalidArgument_exit_code()
    {
        using var temp = new TempDirectory();
        var file = temp.File("taken");
        File.WriteAllText(file, "not a directory");

        var (exit, _, stderr) = await Httpsys.RunAsync("cert", "new", "--dns", "localhost", "--out", file);

        Assert.Equal(10 + (int)Engine.HttpSysErrorReason.InvalidArgument, exit);
        Assert.Contains(file, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

public class SslBindingDscTests
{
    private readonly DscManifest _resource = DscManifest.Load("HttpSysPS/SslBinding");
    private readonly DscSchemas _schemas = new();

    [Fact]
    public async Task PemPairRoundTripAndTestReportsExactlyTheDifferingProperties()
    {
        using var store = new DscStore();
        var schema = _schemas.Instance(_resource);
        var (cert, key) = WritePem(store.Directory, "site");
        var desired = new JsonObject { ["key"] = "0.0.0.0:8443", ["certificateFile"] = cert, ["keyFile"] = key }.ToJsonString();

        var set = (await _resource.InvokeAsync("set", desired, store.Path)).Ok();
        Assert.Equal(["_exist"], set.Diff);
        Assert.Equal("PemFile", (string?)set.State["certificateSource"]);
        Assert.Equal(cert, (string?)set.State["certificateFile"]);
        Assert.False((bool)set.State["disableHttp2"]!);
        Assert.Empty(DscSchemas.Errors(schema, set.State));
        var written = store.Bytes;

        var again = (await _resource.InvokeAsync("set", desired, store.Path)).Ok();
        Assert.Empty(again.Diff);
        Assert.Equal(written, store.Bytes);

        // get's output fed back as the desired state (read-only certificateSource included) is in the desired state.
        var got = (await _resource.InvokeAsync("get", """{"key":"0.0.0.0:8443"}""", store.Path)).Ok();
        var echoed = (await _resource.InvokeAsync("test", got.State.ToJsonString(), store.Path)).Ok();
        Assert.Empty(echoed.Diff);
        Assert.True((bool)echoed.State["_inDesiredState"]!);

        var changed = new JsonObject { ["key"] = "0.0.0.0:8443", ["certificateFile"] = cert, ["keyFile"] = key, ["disableHttp2"] = true, ["disableSessionId"] = true, ["appId"] = "00112233-4455-6677-8899-aabbccddeeff" }.ToJsonString();
        var test = (await _resource.InvokeAsync("test", changed, store.Path)).Ok();
        Assert.Equal(["appId", "disableHttp2", "disableSessionId"], test.Diff);
        Assert.False((bool)test.State["_inDesiredState"]!);
        Assert.Empty(DscSchemas.Errors(schema, test.State));
        Assert.Equal(written, store.Bytes);

        var update = (await _resource.InvokeAsync("set", changed, store.Path)).Ok();
        Assert.Equal(["appId", "disableHttp2", "disableSessionId"], update.Diff);
        Assert.True((bool)update.State["disableHttp2"]!);
        Assert.True((bool)update.State["disableSessionId"]!);

        Assert.Equal(update.State.ToJsonString(), Assert.Single((await _resource.InvokeAsync("export", null, store.Path)).Ok().Lines).ToJsonString());
        (await _resource.InvokeAsync("delete", """{"key":"0.0.0.0:8443"}""", store.Path)).Ok();
        Assert.False((bool)(await _resource.InvokeAsync("get", """{"key":"0.0.0.0:8443"}""", store.Path)).Ok().State["_exist"]!);
    }

    [Fact]
    public async Task AKeyThatBelongsToAnotherCertificateIsRefusedInWhatIfAndSet()
    {
        using var store = new DscStore();
        var (cert, _) = WritePem(store.Directory, "one");
        var (_, otherKey) = WritePem(store.Directory, "two");
        var desired = new JsonObject { ["key"] = "localhost:8443", ["certificateFile"] = cert, ["keyFile"] = otherKey }.ToJsonString();
        foreach (var operation in new[] { "whatIf", "set" })
        {
            var result = await _resource.InvokeAsync(operation, desired, store.Path);
            Assert.Equal(20, result.ExitCode);
            Assert.Contains(20, _resource.ExitCodes.Keys);
            Assert.NotNull(JsonNode.Parse(result.Error.Trim().Split('\n')[0])!["error"]);
            Assert.Empty(store.Bytes);
        }
    }

    internal static (string Cert, string Key) WritePem(TempDirectory dir, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(dir.File(name + ".crt"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.File(name + ".key"), key.ExportPkcs8PrivateKeyPem());
        return (dir.File(name + ".crt"), dir.File(name + ".key"));
    }
}

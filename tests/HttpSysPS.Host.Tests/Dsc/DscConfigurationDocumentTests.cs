using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

/// <summary>
/// samples/dsc/httpsys.dsc.config.json, the configuration document docs/configuration-management.md shows, applied the
/// way <c>dsc config set</c> applies one: for each instance, test, then set when it is not in the desired state. Twice:
/// the first pass changes every instance that needs it, the second finds all in the desired state and writes nothing.
/// Only the certificate paths are pointed at a PEM pair the test makes (the sample names /etc/httpsysps/certs).
/// </summary>
public class DscConfigurationDocumentTests
{
    [Fact]
    public async Task TheSampleDocumentConvergesAndASecondApplyChangesNothing()
    {
        using var store = new DscStore();
        var (cert, key) = SslBindingDscTests.WritePem(store.Directory, "site");
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "HttpSysPS.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("The repository root (HttpSysPS.sln) is not above the test output.");
        }

        var sample = Path.Combine(root.FullName, "samples/dsc/httpsys.dsc.config.json");
        var document = JsonNode.Parse(File.ReadAllText(sample))!.AsObject();
        var instances = document["resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
        foreach (var properties in instances.Where(r => (string?)r["type"] == "HttpSysPS/SslBinding").Select(r => r["properties"]!.AsObject()))
        {
            properties["certificateFile"] = cert;
            properties["keyFile"] = key;
        }

        var firstPass = await ApplyAsync(instances, store.Path);
        Assert.Equal(["Site reservation", "Site certificate", "Service-wide timeouts"], firstPass);
        var bytes = store.Bytes;

        Assert.Empty(await ApplyAsync(instances, store.Path));
        Assert.Equal(bytes, store.Bytes);
    }

    /// <summary>The names of the instances that set changed.</summary>
    private static async Task<List<string>> ApplyAsync(IEnumerable<JsonObject> instances, string storePath)
    {
        var changed = new List<string>();
        foreach (var instance in instances)
        {
            var resource = DscManifest.Load((string)instance["type"]!);
            var properties = instance["properties"]!.ToJsonString();
            var test = (await resource.InvokeAsync("test", properties, storePath)).Ok();
            if ((bool)test.State["_inDesiredState"]!)
            {
                continue;
            }

            var set = (await resource.InvokeAsync("set", properties, storePath)).Ok();
            Assert.Equal(test.Diff, set.Diff);
            changed.Add((string)instance["name"]!);
        }

        return changed;
    }
}

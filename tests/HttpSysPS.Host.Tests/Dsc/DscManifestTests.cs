using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

public class DscManifestTests
{
    private static readonly string[] Types = ["HttpSysPS/SslBinding", "HttpSysPS/Timeout", "HttpSysPS/UrlReservation"];

    [Fact]
    public void TheThreeManifestsShipBesideHttpsys()
    {
        var types = DscManifest.Files.Select(f => (string)JsonNode.Parse(File.ReadAllText(f))!["type"]!).Order(StringComparer.Ordinal);
        Assert.Equal(Types, types);
        Assert.All(DscManifest.Files, f => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(f)!, "httpsys")), $"no httpsys beside {f}"));
    }

    [Theory]
    [InlineData("HttpSysPS/UrlReservation")]
    [InlineData("HttpSysPS/SslBinding")]
    [InlineData("HttpSysPS/Timeout")]
    public void TheManifestValidatesAgainstThePublishedDscSchema(string type)
    {
        var manifest = DscManifest.Load(type);
        Assert.Empty(DscSchemas.Errors(new DscSchemas().Manifest, manifest.Json));
        foreach (var operation in new[] { "get", "set", "whatIf", "test", "delete", "export" })
        {
            Assert.Equal("httpsys", (string?)manifest.Json[operation]?["executable"]);
        }

        Assert.True((bool)manifest.Json["set"]!["implementsPretest"]!);
        Assert.Equal("stateAndDiff", (string?)manifest.Json["test"]!["return"]);
        Assert.Equal("stateAndDiff", (string?)manifest.Json["set"]!["return"]);
        Assert.Contains(0, manifest.ExitCodes.Keys);
        Assert.Contains(2, manifest.ExitCodes.Keys);
    }

    [Fact]
    public void TheValidationCatchesABrokenManifest()
    {
        var schemas = new DscSchemas();
        var manifest = DscManifest.Load("HttpSysPS/UrlReservation").Json.DeepClone().AsObject();
        manifest["type"] = "HttpSysPS-UrlReservation";
        Assert.NotEmpty(DscSchemas.Errors(schemas.Manifest, manifest));

        manifest = DscManifest.Load("HttpSysPS/UrlReservation").Json.DeepClone().AsObject();
        manifest["schema"]!["embedded"]!["properties"]!["_exist"] = new JsonObject { ["type"] = "boolean" };
        Assert.NotEmpty(DscSchemas.Errors(schemas.Manifest, manifest));
    }

    [Theory]
    [InlineData("HttpSysPS/UrlReservation", "_exist")]
    [InlineData("HttpSysPS/SslBinding", "_exist")]
    [InlineData("HttpSysPS/SslBinding", "certificateSource")]
    [InlineData("HttpSysPS/Timeout", "effective")]
    public void StandardAndReadOnlyPropertiesAreDeclared(string type, string property)
    {
        var properties = DscManifest.Load(type).InstanceSchema["properties"]!;
        Assert.NotNull(properties[property]);
        Assert.NotNull(properties["_inDesiredState"]);
        if (!property.StartsWith('_'))
        {
            Assert.True((bool)properties[property]!["readOnly"]!);
        }
    }

    [Fact]
    public void TheInstanceSchemaResolvesTheStandardPropertiesAndRejectsBadInstances()
    {
        var schemas = new DscSchemas();
        var schema = schemas.Instance(DscManifest.Load("HttpSysPS/UrlReservation"));
        Assert.Empty(DscSchemas.Errors(schema, JsonNode.Parse("""{"url":"http://+:80/","_exist":false,"_inDesiredState":true}""")!));
        Assert.NotEmpty(DscSchemas.Errors(schema, JsonNode.Parse("""{"url":"http://+:80/","_exist":"yes"}""")!));
        Assert.NotEmpty(DscSchemas.Errors(schema, JsonNode.Parse("""{"url":"http://+:80/","bogus":1}""")!));
        Assert.NotEmpty(DscSchemas.Errors(schema, JsonNode.Parse("""{"acl":[]}""")!));
    }
}

namespace HttpSysPS.Engine.Tests.Routing;

/// <summary>A stand-in for the engine's URL group: a routing target whose ToString names the owner.</summary>
internal sealed class Group(string name)
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

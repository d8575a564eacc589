namespace HttpSysPS.Engine.Diagnostics;

/// <summary>
/// The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every server publishes its measurements on: watch it
/// with <c>dotnet-counters monitor --counters HttpSysPS</c> or add it to an OpenTelemetry MeterProvider
/// (<c>AddMeter("HttpSysPS")</c>). docs/operations.md lists the instruments.
/// </summary>
public static class HttpSysMeter
{
    public const string Name = "HttpSysPS";
}

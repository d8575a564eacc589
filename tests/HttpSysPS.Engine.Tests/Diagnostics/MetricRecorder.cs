using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace HttpSysPS.Engine.Tests.Diagnostics;

/// <summary>A MeterListener on one server's meter (not every HttpSysPS meter of the test process): records what the
/// instruments report, and reads the observable ones on demand.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricRecorder(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Everything recorded so far by <paramref name="instrument"/>.</summary>
    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Recorded(string instrument) =>
        [.. _measurements.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags))];

    /// <summary>The observable instrument's values now, one per series.</summary>
    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Observe(string instrument)
    {
        _measurements.Clear();
        _listener.RecordObservableInstruments();
        return Recorded(instrument);
    }

    /// <summary>The observable instrument's value now for the series with tag <paramref name="key"/> = <paramref name="value"/>.</summary>
    public double Observe(string instrument, string key, object value) =>
        Assert.Single(Observe(instrument), m => Equals(m.Tags.GetValueOrDefault(key), value)).Value;

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }
}

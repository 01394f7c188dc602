using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Weft.Server.Metrics;

/// <summary>
/// Listens to the <c>Weft</c> meter and renders what it heard in the Prometheus text format (version 0.0.4):
/// counters as <c>_total</c>, histograms as cumulative <c>_bucket</c>/<c>_sum</c>/<c>_count</c>, gauges read
/// at scrape time. Instrument names map dots to underscores and a unit of <c>s</c> to <c>_seconds</c>.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    /// <summary>Histogram bucket bounds, in seconds: from 5 ms to an hour.</summary>
    internal static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();

    public PrometheusExporter(WeftMetrics metrics)
    {
        // Taking the metrics makes the container create the instruments before the listener starts.
        _ = metrics;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == WeftMetrics.MeterName)
            {
                _families[instrument] = new Family(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The content type of <see cref="Render"/>'s text.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Every metric, as Prometheus text.</summary>
    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            family.Write(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_families.TryGetValue(instrument, out var family))
        {
            family.Record(value, Labels(tags));
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var pairs = new List<KeyValuePair<string, object?>>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add(tag);
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(",", pairs.Select(p => $"{Sanitize(p.Key)}=\"{Escape(Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "")}\""));
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] == '_' || chars[i] == ':'))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One instrument and its series, by label set.</summary>
    private sealed class Family(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Kind _kind = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => Kind.Counter,
            Histogram<long> or Histogram<int> or Histogram<double> => Kind.Histogram,
            _ => Kind.Gauge,
        };

        public string Name { get; } = Sanitize(instrument.Name) + (instrument.Unit == "s" ? "_seconds" : "");

        public void Record(double value, string labels)
        {
            var series = _series.GetOrAdd(labels, _ => new Series());
            lock (series)
            {
                switch (_kind)
                {
                    case Kind.Counter:
                        series.Sum += value;
                        break;
                    case Kind.Gauge:
                        series.Sum = value;
                        break;
                    default:
                        series.Count++;
                        series.Sum += value;
                        var bucket = Array.FindIndex(Bounds, b => value <= b);
                        series.Buckets[bucket < 0 ? Bounds.Length : bucket]++;
                        break;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            var name = _kind == Kind.Counter ? Name + "_total" : Name;
            var type = _kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" };
            text.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description ?? instrument.Name).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_kind != Kind.Histogram)
                    {
                        text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i <= Bounds.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        var le = $"le=\"{Number(i < Bounds.Length ? Bounds[i] : double.PositiveInfinity)}\"";
                        text.Append(name).Append("_bucket{").Append(labels.Length == 0 ? le : labels + "," + le).Append("} ").Append(cumulative).Append('\n');
                    }

                    text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                    text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count).Append('\n');
                }
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";
    }

    private sealed class Series
    {
        public double Sum;
        public long Count;
        public readonly long[] Buckets = new long[Bounds.Length + 1];
    }

    private enum Kind
    {
        Counter,
        Histogram,
        Gauge,
    }
}

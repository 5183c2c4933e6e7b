namespace Narada.Core.Formats;

/// <summary>How a plugin command's stdout is to be read, as named by <c>output:</c> in a manifest.</summary>
public enum OutputFormat
{
    Nagios,
    Prometheus,
    Graphite,
    Influx,
    Json,
    Text,
}

using System.Text;
using CsCheck;
using Narada.Core.Contracts;

namespace Narada.Core.Tests.Contracts;

/// <summary>Whatever arrives on a Gearman function, reading it throws <see cref="EnvelopeException"/> or nothing.</summary>
public sealed class EnvelopePropertyTests
{
    private const string ValidResult =
        """{"v":1,"type":"result","id":"a","kind":"check","name":"n","host":"h","plugin":"p.c","status":0,"perfdata":[{"label":"x","value":1}],"samples":[{"name":"s","value":"NaN"}]}""";

    // Valid envelopes with a few characters cut or inserted, so most inputs get past the first byte.
    private static readonly Gen<byte[]> Payload = Gen.OneOf(
        Gen.Byte.Array[0, 200],
        Gen.String.Select(Encoding.UTF8.GetBytes),
        Gen.Select(Gen.Int[0, ValidResult.Length], Gen.Int[0, 8], Gen.Char["{}[]\":,0123456789-tfnlu.eE"].Array[0, 4])
            .Select((at, cut, insert) =>
                Encoding.UTF8.GetBytes(ValidResult[..at] + new string(insert) + ValidResult[Math.Min(ValidResult.Length, at + cut)..])));

    [Fact]
    public void Parsing_any_bytes_throws_only_envelope_exceptions()
    {
        Payload.Sample(bytes =>
        {
            Try(() => Envelope.Parse<JobRequest>(bytes));
            Try(() => Envelope.Parse<JobResult>(bytes));
            Try(() => Envelope.Parse<ApplyRequest>(bytes));
            Try(() => ResultsMessage.Parse(bytes));
        }, iter: 5000);
    }

    [Fact]
    public void The_unmodified_sample_is_valid()
    {
        Assert.IsType<JobResult>(ResultsMessage.Parse(Encoding.UTF8.GetBytes(ValidResult)));
    }

    private static void Try(Func<object> parse)
    {
        try
        {
            parse();
        }
        catch (EnvelopeException e)
        {
            Assert.False(string.IsNullOrEmpty(e.Reason));
        }
    }
}

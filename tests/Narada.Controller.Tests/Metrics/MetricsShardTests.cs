using Narada.Controller.Metrics;

namespace Narada.Controller.Tests.Metrics;

public sealed class MetricsShardTests
{
    [Fact]
    public void Every_host_falls_in_exactly_one_shard_and_the_shards_are_about_even()
    {
        var hosts = Enumerable.Range(0, 10_000).Select(i => $"web{i:D5}.example").ToArray();
        var shards = Enumerable.Range(0, 4).Select(k => new MetricsShard(k, 4)).ToArray();

        var sizes = shards.Select(s => hosts.Count(s.Holds)).ToArray();

        Assert.All(hosts, h => Assert.Single(shards, s => s.Holds(h)));
        Assert.Equal(hosts.Length, sizes.Sum());
        Assert.All(sizes, n => Assert.InRange(n, 2300, 2700));
        // The same on every member and every run: a fixed hash, not string.GetHashCode.
        Assert.Equal(MetricsShard.Of("web00042.example", 4), MetricsShard.Of("web00042.example", 4));
        Assert.Equal(1, MetricsShard.Of("a", 3)); // FNV-1a("a") = 0xe40c292c = 3826002220, mod 3 = 1
    }

    [Theory]
    [InlineData("0", "4", true)]
    [InlineData("3", "4", true)]
    [InlineData("4", "4", false)]
    [InlineData("-1", "4", false)]
    [InlineData("0", "0", false)]
    [InlineData("0", null, false)]
    [InlineData("x", "2", false)]
    [InlineData("0", "5000", false)]
    public void Only_whole_numbers_with_0_le_k_lt_n_make_a_shard(string? shard, string? of, bool valid)
    {
        var parsed = MetricsShard.Parse(shard, of, out var problem);
        Assert.Equal(valid, parsed is not null);
        Assert.Equal(valid, problem is null);
    }

    [Fact]
    public void No_shard_parameters_mean_the_whole_fleet() => Assert.Null(MetricsShard.Parse(null, null, out var problem) ?? (object?)problem);
}

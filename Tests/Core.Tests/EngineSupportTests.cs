using QaDatabases.Capacity;

namespace QaDatabases.Tests;

public class EngineSupportTests
{
    [Theory]
    [InlineData("13.14", false)]
    [InlineData("13.15", true)]
    [InlineData("14.11", false)]
    [InlineData("14.12", true)]
    [InlineData("15.6", false)]
    [InlineData("15.7", true)]
    [InlineData("15.10", true)]
    [InlineData("16.2", false)]
    [InlineData("16.3", true)]
    [InlineData("17.1", true)]
    [InlineData("12.22", false)]
    [InlineData("garbage", false)]
    public void Postgres_scale_to_zero_starts_at_the_documented_minor_versions(string version, bool supported)
    {
        Assert.Equal(supported, EngineSupport.SupportsScaleToZero(EngineFamily.PostgreSql, version));
    }

    [Theory]
    [InlineData("8.0.mysql_aurora.3.07.1", false)]
    [InlineData("8.0.mysql_aurora.3.08.0", true)]
    [InlineData("8.0.mysql_aurora.3.10.0", true)]
    [InlineData("5.7.mysql_aurora.2.12.1", false)]
    public void Mysql_scale_to_zero_starts_at_aurora_mysql_3_08(string version, bool supported)
    {
        Assert.Equal(supported, EngineSupport.SupportsScaleToZero(EngineFamily.MySql, version));
    }

    [Theory]
    [InlineData(EngineFamily.PostgreSql, "13.5", false)]
    [InlineData(EngineFamily.PostgreSql, "13.6", true)]
    [InlineData(EngineFamily.PostgreSql, "15.2", true)]
    [InlineData(EngineFamily.MySql, "8.0.mysql_aurora.3.01.1", false)]
    [InlineData(EngineFamily.MySql, "8.0.mysql_aurora.3.02.0", true)]
    public void Serverless_v2_needs_its_own_minimum_versions(EngineFamily family, string version, bool supported)
    {
        Assert.Equal(supported, EngineSupport.SupportsServerless(family, version));
    }

    [Theory]
    [InlineData("aurora-postgresql", EngineFamily.PostgreSql)]
    [InlineData("aurora-mysql", EngineFamily.MySql)]
    [InlineData("postgres", null)]
    [InlineData("aurora", null)]
    public void Only_the_two_aurora_engines_are_clonable_families(string engine, EngineFamily? family)
    {
        Assert.Equal(family, EngineSupport.FamilyOf(engine));
    }
}

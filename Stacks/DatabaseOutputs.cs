namespace QaDatabases.Stacks;

/// <summary>
/// The stack outputs every stack that gives its users a database exports, a fresh clone and a
/// claimed pool member alike: one list, so an application cannot tell the two apart.
/// </summary>
internal sealed record DatabaseOutputs(
    object ClusterIdentifier,
    object Endpoint,
    object ReaderEndpoint,
    object Host,
    object ReaderHost,
    object Port,
    object DatabaseName,
    object SecurityGroupId,
    object MasterUserSecretArn,
    string[] SsmParameterNames,
    object SourceCluster,
    object RestoreMode,
    object CloneGeneration,
    object ExpiresAt,
    object SmokeCheckResult,
    object Masking,
    int? CloneGroupSize)
{
    /// <summary>The outputs under their camelCase stack output names.</summary>
    public Dictionary<string, object?> ToDictionary() => new()
    {
        ["clusterIdentifier"] = ClusterIdentifier,
        ["endpoint"] = Endpoint,
        ["readerEndpoint"] = ReaderEndpoint,
        ["host"] = Host,
        ["readerHost"] = ReaderHost,
        ["port"] = Port,
        ["databaseName"] = DatabaseName,
        ["securityGroupId"] = SecurityGroupId,
        ["masterUserSecretArn"] = MasterUserSecretArn,
        ["ssmParameterNames"] = SsmParameterNames,
        ["sourceCluster"] = SourceCluster,
        ["restoreMode"] = RestoreMode,
        ["cloneGeneration"] = CloneGeneration,
        ["expiresAt"] = ExpiresAt,
        ["smokeCheckResult"] = SmokeCheckResult,
        ["masking"] = Masking,
        ["cloneGroupSize"] = CloneGroupSize,
    };
}

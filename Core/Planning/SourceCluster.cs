namespace QaDatabases.Planning;

/// <summary>
/// What the program learns about the source cluster from a read-only lookup (<c>aws.rds.getCluster</c>).
/// The source is only ever referenced through these facts; no resource of the stack manages it.
/// <see cref="EngineVersion"/> is null only offline (<c>qa-db plan</c>), where no lookup is possible.
/// </summary>
public sealed record SourceCluster(
    string Identifier,
    string Engine,
    string? EngineVersion,
    int Port,
    string DbSubnetGroupName,
    string? DatabaseName);

using Pulumi;
using Pulumi.Aws.Route53;
using QaDatabases.Dns;

namespace QaDatabases.Stacks;

/// <summary>
/// An environment's stable host names: two CNAME records in the <c>dnsZoneId</c> zone, the writer name
/// to the writer endpoint and the reader name to the reader endpoint of whatever the stack serves now
/// (its clone, the next generation after a refresh, or the pool member it holds). The names never change;
/// a new target is the provider's in-place update of <c>records</c> (one atomic UPSERT), never a
/// replacement, so the name does not disappear in between. <c>allowOverwrite</c> stays false: a record
/// under the name that this stack did not create is not taken over; the create fails instead.
/// Depending on this component waits for both records.
/// </summary>
internal sealed class HostRecords : ComponentResource
{
    /// <param name="name">The component's name.</param>
    /// <param name="plan">The zone and the two names, decided in Core.</param>
    /// <param name="writerEndpoint">What the writer name points at.</param>
    /// <param name="readerEndpoint">What the reader name points at.</param>
    /// <param name="after">What must have passed before anyone can reach the data through the names (masking, or the claim).</param>
    /// <param name="options">The component's options.</param>
    public HostRecords(string name, HostRecordsPlan plan, Output<string> writerEndpoint, Output<string> readerEndpoint, Resource after, ComponentResourceOptions? options = null)
        : base("qa-db:index:HostRecords", name, options)
    {
        Record Cname(string recordName, string host, Output<string> target) => new(recordName, new RecordArgs
        {
            ZoneId = plan.ZoneId,
            Name = host,
            Type = HostRecordsPlan.RecordType,
            Ttl = HostRecordsPlan.Ttl,
            Records = { target },
        }, new CustomResourceOptions { Parent = this, DependsOn = { after } });

        _ = Cname("host", plan.WriterName, writerEndpoint);
        _ = Cname("reader-host", plan.ReaderName, readerEndpoint);

        // The plan's names rather than the records' fqdn outputs: known in preview, and the same text.
        Host = Output.Create(plan.WriterName);
        ReaderHost = Output.Create(plan.ReaderName);
        RegisterOutputs(new Dictionary<string, object?> { ["host"] = Host, ["readerHost"] = ReaderHost });
    }

    public Output<string> Host { get; }

    public Output<string> ReaderHost { get; }
}

using Pulumi;
using QaDatabases.Aws;
using QaDatabases.Stacks;

// One QA environment = one stack: validate the config, check the source, declare the clone (or
// claim a pool member, or declare a pool). The AWS clients are made inside the run, where the
// stack's aws:region config can be read; both retry and time out as AwsClientSettings says.
return await Deployment.RunAsync(async () =>
{
    AwsClientSettings aws;
    try
    {
        aws = AwsClientSettings.FromEnvironment();
    }
    catch (FormatException e)
    {
        throw new RunException(e.Message);
    }

    using var pools = new SsmPoolStore(StackConfig.AwsRegion(), aws);
    return await QaDatabaseProgram.RunAsync(StackConfig.Read(), new RdsPreflightFacts(aws), pools: pools);
});

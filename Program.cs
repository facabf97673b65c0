using Pulumi;
using QaDatabases.Aws;
using QaDatabases.Stacks;

// One QA environment = one stack: validate the config, check the source, declare the clone (or
// claim a pool member, or declare a pool or a golden). The SSM client, which reads pool state and
// golden records, is made inside the run, where the stack's aws:region config can be read.
return await Deployment.RunAsync(async () =>
{
    using var pools = new SsmPoolStore(StackConfig.AwsRegion());
    return await QaDatabaseProgram.RunAsync(StackConfig.Read(), new RdsPreflightFacts(), pools: pools, goldens: pools);
});

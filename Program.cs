using Pulumi;
using QaDatabases.Stacks;

// One QA environment = one stack: validate the config, check the source, declare the clone.
return await Deployment.RunAsync(() => QaDatabaseProgram.RunAsync(StackConfig.Read(), new RdsPreflightFacts()));

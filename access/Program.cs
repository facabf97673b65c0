using Pulumi;
using QaDatabases.AccessProgram;

// The QA stacks' files are in the repository root, one level above this project.
return await Deployment.RunAsync(() => DeployerAccessProgram.RunAsync(AccessStackConfig.Read(), Path.GetFullPath("..")));

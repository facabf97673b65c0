using Pulumi;

namespace QaDatabases.Testing;

/// <summary>Reads the value of a Pulumi output in a mock test (shared by the Pulumi-layer test projects).</summary>
internal static class OutputValues
{
    public static Task<T> ValueAsync<T>(object? output)
    {
        var source = new TaskCompletionSource<T>();
        ((Output<T>)output!).Apply(v =>
        {
            source.TrySetResult(v);
            return v;
        });
        return source.Task;
    }
}

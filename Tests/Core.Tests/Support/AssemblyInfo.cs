// The hooks are bash scripts and the test database is Debian's PostgreSQL: these tests run on Linux.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

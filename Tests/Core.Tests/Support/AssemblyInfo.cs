// The hooks are bash scripts and the test databases are Debian's PostgreSQL and MariaDB: these tests run on Linux.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

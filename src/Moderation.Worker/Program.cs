using System.CommandLine;
using Moderation.Worker;

// No command: run the worker. `demo`: the embedded default end to end. `migrate`: apply migrations and exit.
// Ctrl-C and SIGTERM are left to the generic host, which stops the worker gracefully.
return await WorkerCommandLine.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

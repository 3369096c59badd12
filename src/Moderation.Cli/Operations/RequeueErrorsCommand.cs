using System.CommandLine;

namespace Moderation.Cli.Operations;

/// <summary><c>requeue-errors</c>: see <see cref="RequeueErrors"/>.</summary>
internal static class RequeueErrorsCommand
{
    public static Command Create()
    {
        var broker = new Option<string>("--rabbitmq") { Description = "Broker URI.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MODERATION_RABBITMQ") ?? "amqp://guest:guest@localhost:5672/" };
        var queue = new Option<string>("--queue") { Description = "The intake queue; messages are taken from {queue}_error.", DefaultValueFactory = _ => "moderation.content-published" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only count what would be moved, by reason; move nothing." };
        var limit = new Option<int?>("--limit") { Description = "Move at most this many." };
        var reason = new Option<string?>("--reason") { Description = "Only messages whose reject reason contains this text (case-insensitive)." };
        var select = new Option<RequeueErrors.Selection>("--select")
        {
            Description = "Retryable: everything but bad input (default). BadInput: only bad input (after relaxing a rule). All.",
            DefaultValueFactory = _ => RequeueErrors.Selection.Retryable,
        };
        var max = new Option<int>("--max-requeues") { Description = "Leave a message that was already moved back this many times.", DefaultValueFactory = _ => 3 };
        var command = new Command("requeue-errors", "Move posts from the intake error queue back to the intake queue (not bad input, unless asked).")
        {
            broker, queue, dryRun, limit, reason, select, max,
        };
        command.SetAction(async (parse, ct) =>
        {
            var summary = await RequeueErrors.RunAsync(new RequeueErrors.Options(
                new Uri(parse.GetValue(broker)!), parse.GetValue(queue)!, parse.GetValue(dryRun), parse.GetValue(limit),
                parse.GetValue(reason), parse.GetValue(select), parse.GetValue(max)), Console.Out, ct);
            return 0;
        });
        return command;
    }
}

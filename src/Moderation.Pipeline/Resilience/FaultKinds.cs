using System.Data.Common;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using Moderation.Core.Posts;
using Npgsql;

namespace Moderation.Pipeline.Resilience;

/// <summary>Whose fault a failure is, which decides what happens to the post.</summary>
public enum FaultKind
{
    /// <summary>The post itself (invalid, unreadable): to "{queue}_error" at once, with the reason. Never retried.</summary>
    Post,

    /// <summary>Something the worker depends on (database, broker, network): the post waits, unacked, until it is back. Never dead-lettered.</summary>
    Infrastructure,

    /// <summary>Anything else, i.e. a bug: a few quick retries, then "{queue}_error" with the reason, to be requeued once fixed.</summary>
    Unknown,
}

/// <summary>
/// Classifies exceptions by whose fault they are. Infrastructure: every Npgsql failure except a data or
/// constraint error (SQLSTATE classes 22 and 23, which a post's content can cause); SQLite busy, locked, I/O,
/// full, unopenable or read-only; MassTransit connection, transport and publish failures; RabbitMQ.Client
/// exceptions; sockets, I/O and timeouts. The names, not only the types, are checked for the RabbitMQ.Client
/// and MassTransit transport exceptions so that a wrapper from a newer version is still recognised.
/// </summary>
public static class FaultKinds
{
    /// <summary>The header written on every message moved to an error queue (see <see cref="Messaging.RejectReasonFilter"/>).</summary>
    public const string Header = "Moderation-Fault-Kind";

    public static FaultKind Classify(Exception exception)
    {
        if (IsPostFault(exception))
            return FaultKind.Post;
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is AggregateException agg)
                return agg.InnerExceptions.Count > 0 && agg.InnerExceptions.All(i => Classify(i) == FaultKind.Infrastructure) ? FaultKind.Infrastructure : FaultKind.Unknown;
            if (IsInfrastructure(ex))
                return FaultKind.Infrastructure;
        }
        return FaultKind.Unknown;
    }

    public static bool IsPostFault(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is PostRejectedException or System.Text.Json.JsonException or System.Runtime.Serialization.SerializationException or DecoderFallbackException)
                return true;
            if (ex is AggregateException { InnerExceptions.Count: 1 } agg)
                return IsPostFault(agg.InnerExceptions[0]);
        }
        return false;
    }

    /// <summary>Which dependency failed, for logs and the retry metric: "database", "broker" or "network".</summary>
    public static string Dependency(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is DbException || ex.GetType().Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true)
                return "database";
            if (IsBrokerException(ex))
                return "broker";
        }
        return "network";
    }

    private static bool IsInfrastructure(Exception ex) => ex switch
    {
        PostgresException pg => !(pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal)),
        NpgsqlException => true,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 /* BUSY */ or 6 /* LOCKED */ or 7 /* NOMEM */ or 8 /* READONLY */
            or 10 /* IOERR */ or 11 /* CORRUPT: disk */ or 13 /* FULL */ or 14 /* CANTOPEN */ or 15 /* PROTOCOL */ or 26 /* NOTADB */,
        DbException db => db.IsTransient,
        SocketException or TimeoutException or IOException => true,
        ObjectDisposedException => true, // a dependency torn down under us (shutdown): the post is returned, not failed
        _ => IsBrokerException(ex),
    };

    private static bool IsBrokerException(Exception ex)
    {
        var ns = ex.GetType().Namespace ?? "";
        if (ns.StartsWith("RabbitMQ.Client", StringComparison.Ordinal))
            return true;
        return ex is MassTransit.ConnectionException or MassTransit.TransportUnavailableException or MassTransit.TransportException
            or MassTransit.PublishException or MassTransit.SendException or MassTransit.ShutDownException
            || ns.StartsWith("MassTransit.RabbitMqTransport", StringComparison.Ordinal);
    }
}

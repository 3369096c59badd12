using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Moderation.Core.Posts;
using Moderation.Pipeline.Resilience;
using Npgsql;

namespace Moderation.Core.Tests.Resilience;

public sealed class FaultKindsTests
{
    public static TheoryData<Exception, FaultKind> Cases() => new()
    {
        { new PostRejectedException("authorId is required."), FaultKind.Post },
        { new System.Text.Json.JsonException("bad json"), FaultKind.Post },
        { new System.Runtime.Serialization.SerializationException("bad"), FaultKind.Post },
        { new InvalidOperationException("wrapped", new PostRejectedException("x")), FaultKind.Post },
        { new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)), FaultKind.Infrastructure },
        { new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), FaultKind.Infrastructure },
        { new PostgresException("relation \"post_records\" does not exist", "ERROR", "ERROR", "42P01"), FaultKind.Infrastructure },
        { new PostgresException("invalid byte sequence", "ERROR", "ERROR", "22021"), FaultKind.Unknown },
        { new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), FaultKind.Unknown },
        { new SqliteException("database is locked", 5), FaultKind.Infrastructure },
        { new SqliteException("constraint failed", 19), FaultKind.Unknown },
        { new TimeoutException(), FaultKind.Infrastructure },
        { new MassTransit.RabbitMqConnectionException("Broker unreachable"), FaultKind.Infrastructure },
        { new RabbitMQ.Client.Exceptions.AlreadyClosedException(new RabbitMQ.Client.Events.ShutdownEventArgs(RabbitMQ.Client.ShutdownInitiator.Peer, 320, "CONNECTION_FORCED")), FaultKind.Infrastructure },
        { new AggregateException(new TimeoutException(), new NpgsqlException("down")), FaultKind.Infrastructure },
        { new AggregateException(new TimeoutException(), new NullReferenceException()), FaultKind.Unknown },
        { new NullReferenceException(), FaultKind.Unknown },
        { new InvalidOperationException("a bug"), FaultKind.Unknown },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_failure_is_the_fault_of_the_post_a_dependency_or_nobody_known(Exception exception, FaultKind expected) =>
        Assert.Equal(expected, FaultKinds.Classify(exception));

    [Fact]
    public void The_failed_dependency_is_named_for_logs_and_metrics()
    {
        Assert.Equal("database", FaultKinds.Dependency(new NpgsqlException("down")));
        Assert.Equal("database", FaultKinds.Dependency(new InvalidOperationException("x", new SqliteException("locked", 5))));
        Assert.Equal("broker", FaultKinds.Dependency(new MassTransit.RabbitMqConnectionException("down")));
        Assert.Equal("network", FaultKinds.Dependency(new TimeoutException()));
    }
}

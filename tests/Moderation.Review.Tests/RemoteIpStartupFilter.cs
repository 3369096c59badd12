using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Moderation.Review.Tests;

/// <summary>TestServer leaves RemoteIpAddress empty; Kestrel always sets it. Give in-memory requests a loopback address.</summary>
internal sealed class RemoteIpStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((ctx, nextMiddleware) =>
        {
            ctx.Connection.RemoteIpAddress ??= IPAddress.Parse("192.0.2.10");
            return nextMiddleware(ctx);
        });
        next(app);
    };
}

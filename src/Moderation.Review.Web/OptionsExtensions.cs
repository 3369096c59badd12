using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Moderation.Review;

public static class OptionsExtensions
{
    public static WebApplicationBuilder AddReviewOptions(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section)
            .PostConfigure<IConfiguration>((o, config) =>
            {
                // One report deadline for the whole deployment: the worker's, unless the review section overrides it.
                if (config[$"{ReviewOptions.Section}:ReportDue"] is null && config.GetValue<TimeSpan?>("Moderation:Storage:ReportDue") is { } due)
                    o.ReportDue = due;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReviewOptions>, ReviewOptionsValidator>();
        builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TransportOptions>, TransportOptionsValidator>();
        return builder;
    }
}

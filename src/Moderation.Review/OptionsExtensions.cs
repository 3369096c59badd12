using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Moderation.Review;

public static class OptionsExtensions
{
    public static WebApplicationBuilder AddReviewOptions(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReviewOptions>, ReviewOptionsValidator>();
        builder.Services.AddOptions<TransportOptions>().BindConfiguration("Moderation").ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TransportOptions>, TransportOptionsValidator>();
        return builder;
    }
}

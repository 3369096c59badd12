using Microsoft.Extensions.FileProviders;

namespace Moderation.Review;

/// <summary>The page's static files (index.html, app.js, app.css), embedded in this assembly.</summary>
internal static class ReviewPage
{
    public static IFileProvider Files { get; } = new EmbeddedFileProvider(typeof(ReviewPage).Assembly, "Moderation.Review.wwwroot");
}

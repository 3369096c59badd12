using System.Net;
using System.Text;

namespace Moderation.Compliance.Documents;

/// <summary>
/// The HTML print view of a <see cref="PrintDocument"/>: every value HTML-encoded (a &lt;script&gt; in a post
/// is shown as text), no script, one same-origin stylesheet, so the review app's Content-Security-Policy holds.
/// </summary>
public static class HtmlPrintView
{
    public const string StylesheetPath = "/print.css";

    public static string Render(PrintDocument doc)
    {
        var html = new StringBuilder(8 * 1024);
        html.Append("<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(doc.Title)).Append("</title><link rel=\"stylesheet\" href=\"").Append(StylesheetPath).Append("\"></head>\n<body class=\"print\">\n")
            .Append("<h1>").Append(E(doc.Title)).Append("</h1>\n<p class=\"reference\">").Append(E(doc.Reference))
            .Append(" · generated ").Append(E(PrintFormat.Time(doc.GeneratedAt))).Append("</p>\n");
        foreach (var section in doc.Sections)
        {
            html.Append("<section><h2>").Append(E(section.Heading)).Append("</h2>\n");
            var inList = false;
            foreach (var item in section.Items)
            {
                if (item is PrintField && !inList) { html.Append("<dl>"); inList = true; }
                if (item is not PrintField && inList) { html.Append("</dl>\n"); inList = false; }
                switch (item)
                {
                    case PrintField f:
                        html.Append("<dt>").Append(E(f.Label)).Append("</dt><dd>").Append(E(f.Value)).Append("</dd>");
                        break;
                    case PrintVerbatim v:
                        html.Append("<h3>").Append(E(v.Label)).Append("</h3><pre class=\"verbatim\">").Append(E(v.Text)).Append("</pre>\n");
                        break;
                    case PrintTable t:
                        html.Append("<table><thead><tr>");
                        foreach (var h in t.Header) html.Append("<th>").Append(E(h)).Append("</th>");
                        html.Append("</tr></thead><tbody>");
                        foreach (var row in t.Rows)
                        {
                            html.Append("<tr>");
                            foreach (var cell in row) html.Append("<td>").Append(E(cell)).Append("</td>");
                            html.Append("</tr>");
                        }
                        html.Append("</tbody></table>\n");
                        break;
                }
            }
            if (inList) html.Append("</dl>\n");
            html.Append("</section>\n");
        }
        return html.Append("</body></html>\n").ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

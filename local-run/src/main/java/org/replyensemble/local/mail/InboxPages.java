package org.replyensemble.local.mail;

import static org.replyensemble.local.mail.Html.escape;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The inbox as HTML: a list of messages and a page per message. Every value printed comes from
 * a received mail, so every value is escaped; the HTML part is never inlined but shown in a
 * sandboxed iframe that loads {@code /messages/{id}/html} (no scripts, no same origin).
 */
public final class InboxPages {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}
            table{border-collapse:collapse;width:100%}
            th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
            tr:hover{background:#f5f7fa} a{color:#0645ad}
            pre{white-space:pre-wrap;background:#f7f7f7;padding:1rem;border:1px solid #ddd}
            iframe{width:100%;height:32rem;border:1px solid #ddd}
            .muted{color:#777}
            """;

    private InboxPages() {
    }

    public static String list(List<CaughtMail> messages) {
        StringBuilder rows = new StringBuilder();
        for (CaughtMail m : messages) {
            rows.append("<tr><td>").append(escape(time(m))).append("</td><td>").append(escape(m.to()))
                    .append("</td><td><a href=\"/messages/").append(m.id()).append("\">")
                    .append(escape(m.subject() == null || m.subject().isBlank() ? "(no subject)" : m.subject()))
                    .append("</a></td></tr>\n");
        }
        String body = messages.isEmpty()
                ? "<p class=\"muted\">No mail yet. This page reloads every 5 seconds.</p>"
                : "<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>\n"
                + rows + "</tbody></table>";
        return page("Local inbox (" + messages.size() + ")",
                "<meta http-equiv=\"refresh\" content=\"5\">",
                "<h1>Local inbox</h1><p class=\"muted\">" + messages.size()
                        + " message(s), newest first. JSON: <a href=\"/api/messages\">/api/messages</a></p>\n" + body);
    }

    public static String message(CaughtMail m) {
        StringBuilder headers = new StringBuilder("<table>");
        header(headers, "Received", time(m));
        header(headers, "From", m.from());
        header(headers, "To", m.to());
        header(headers, "Subject", m.subject());
        header(headers, "Message-ID", m.messageId());
        header(headers, "In-Reply-To", m.inReplyTo());
        header(headers, "References", m.references());
        header(headers, "List-Unsubscribe", m.listUnsubscribe());
        header(headers, "List-Unsubscribe-Post", m.listUnsubscribePost());
        headers.append("</table>");
        String text = m.text() == null ? "<p class=\"muted\">No text part.</p>" : "<pre>" + escape(m.text()) + "</pre>";
        String html = m.html() == null ? "<p class=\"muted\">No HTML part.</p>"
                : "<iframe sandbox=\"\" referrerpolicy=\"no-referrer\" title=\"HTML part\" src=\"/messages/" + m.id()
                + "/html\"></iframe>";
        return page(m.subject() == null ? "Message " + m.id() : m.subject(), "",
                "<p><a href=\"/\">&larr; Inbox</a> &middot; <a href=\"/messages/" + m.id() + "/raw\">raw</a></p>"
                        + "<h1>" + escape(m.subject()) + "</h1>" + headers
                        + "<h2>Text part</h2>" + text + "<h2>HTML part</h2>" + html);
    }

    public static String notFound() {
        return page("Not found", "", "<p>No such message. <a href=\"/\">Inbox</a></p>");
    }

    private static void header(StringBuilder out, String name, String value) {
        out.append("<tr><th>").append(escape(name)).append("</th><td>")
                .append(value == null ? "<span class=\"muted\">-</span>" : escape(value)).append("</td></tr>");
    }

    private static String time(CaughtMail m) {
        return m.receivedAt() == null ? "" : TIME.format(m.receivedAt());
    }

    private static String page(String title, String head, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + head + "<style>" + STYLE + "</style></head><body>\n" + body + "\n</body></html>\n";
    }
}

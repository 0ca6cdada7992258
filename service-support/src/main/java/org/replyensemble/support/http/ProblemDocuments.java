package org.replyensemble.support.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.replyensemble.support.problems.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Problem documents written where Spring MVC's message converters are not in play: Tomcat's
 * error report, the body size filter, the /error page. Only fixed texts per status go out:
 * nothing of the request (which may be what was wrong with it) and no server name or version.
 */
final class ProblemDocuments {

    static final String CONTENT_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    private static final Map<Integer, String> DETAILS = Map.ofEntries(
            Map.entry(400, "The request is not valid HTTP this service can read (request line, path, headers or body)"),
            Map.entry(404, "There is nothing at this address"),
            Map.entry(405, "This address does not take this method"),
            Map.entry(413, "The request is larger than this service accepts"),
            Map.entry(414, "The request's address is longer than this service accepts"),
            Map.entry(431, "The request's headers are larger than this service accepts"),
            Map.entry(500, "Something went wrong on our side; please try again later"),
            Map.entry(503, "The service is unavailable for the moment; please try again shortly"));

    private ProblemDocuments() {
    }

    /** The problem document for a status, as UTF-8 JSON bytes. */
    static byte[] forStatus(int status) {
        return forStatus(status, DETAILS.getOrDefault(status, reasonOf(status)));
    }

    static byte[] forStatus(int status, String detail) {
        return text(status, detail).getBytes(StandardCharsets.UTF_8);
    }

    static String textForStatus(int status) {
        return text(status, DETAILS.getOrDefault(status, reasonOf(status)));
    }

    private static String text(int status, String detail) {
        String type = Problems.typeFor(status).toString();
        String json = "{\"type\":" + quote(type) + ",\"title\":" + quote(reasonOf(status)) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail) + "}";
        return json;
    }

    static void write(OutputStream out, byte[] document) throws IOException {
        out.write(document);
        out.flush();
    }

    private static String reasonOf(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "Error " + status : known.getReasonPhrase();
    }

    /** Our own fixed texts only, so a minimal JSON string escape is enough. */
    private static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}

package org.replyensemble.support.problems;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problems with a stable {@code type} a client can branch on. */
public final class Problems {

    public static final String TYPE_BASE = "https://replyensemble.org/problems/";

    private Problems() {
    }

    private static final Map<Integer, String> TYPES = Map.ofEntries(
            Map.entry(400, "malformed-request"),
            Map.entry(401, "unauthorized"),
            Map.entry(403, "forbidden"),
            Map.entry(404, "not-found"),
            Map.entry(405, "method-not-allowed"),
            Map.entry(406, "not-acceptable"),
            Map.entry(408, "request-timeout"),
            Map.entry(409, "conflict"),
            Map.entry(413, "request-too-large"),
            Map.entry(414, "uri-too-long"),
            Map.entry(415, "unsupported-media-type"),
            Map.entry(429, "too-many-requests"),
            Map.entry(431, "headers-too-large"),
            Map.entry(500, "internal-error"),
            Map.entry(501, "not-implemented"),
            Map.entry(503, "service-unavailable"),
            Map.entry(505, "http-version-not-supported"));

    /**
     * The type of a problem that has no more specific one (Spring's own: 404, 405, 415...), so every
     * problem this ensemble answers carries a type a client can branch on, never about:blank.
     */
    public static URI typeFor(int status) {
        return URI.create(TYPE_BASE + TYPES.getOrDefault(status, status >= 500 ? "internal-error" : "bad-request"));
    }

    /** One entry of a validation problem's {@code errors} property. */
    public record FieldProblem(String field, String message) {
    }

    public static ProblemDetail detail(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_BASE + type));
        problem.setTitle(title);
        return problem;
    }

    public static ErrorResponseException exception(HttpStatus status, String type, String title, String detail) {
        return new ErrorResponseException(status, detail(status, type, title, detail), null);
    }

    /** A 400 that lists every invalid field, so a form can show all of them at once. */
    public static ProblemDetail invalid(List<FieldProblem> errors) {
        ProblemDetail problem = detail(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid");
        problem.setProperty("errors", errors);
        return problem;
    }

    public static ErrorResponseException invalidRequest(List<FieldProblem> errors) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST, invalid(errors), null);
    }
}

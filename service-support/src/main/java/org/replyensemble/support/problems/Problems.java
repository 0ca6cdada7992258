package org.replyensemble.support.problems;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problems with a stable {@code type} a client can branch on. */
public final class Problems {

    public static final String TYPE_BASE = "https://replyensemble.org/problems/";

    private Problems() {
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

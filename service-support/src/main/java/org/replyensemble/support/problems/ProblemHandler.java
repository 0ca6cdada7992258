package org.replyensemble.support.problems;

import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error into a problem detail. Validation problems list each invalid field, so a
 * form can show all of them at once instead of one per round trip.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<Problems.FieldProblem> errors = ex.getBindingResult().getFieldErrors().stream()
                .map(error -> new Problems.FieldProblem(error.getField(), error.getDefaultMessage()))
                .distinct()
                .sorted(Comparator.comparing(Problems.FieldProblem::field).thenComparing(Problems.FieldProblem::message))
                .toList();
        return ResponseEntity.badRequest().body(Problems.invalid(errors));
    }

    /** A query parameter that does not convert (page=abc, commentId=not-a-uuid) is an invalid field too. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String field = ex instanceof MethodArgumentTypeMismatchException mismatch ? mismatch.getName() : ex.getPropertyName();
        String expected = ex.getRequiredType() == null ? "a valid value" : "a valid " + ex.getRequiredType().getSimpleName();
        return ResponseEntity.badRequest().body(Problems.invalid(List.of(new Problems.FieldProblem(field, "must be " + expected))));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        // The parser's message is not echoed: it can quote the request, and it is meant for developers.
        return ResponseEntity.badRequest().body(Problems.detail(HttpStatus.BAD_REQUEST, "malformed-request",
                "Malformed request body", "The request body is missing or is not valid JSON of the expected shape"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        return ResponseEntity.internalServerError().body(Problems.detail(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Internal error", "Something went wrong on our side; please try again later"));
    }
}

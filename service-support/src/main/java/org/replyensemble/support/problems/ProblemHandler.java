package org.replyensemble.support.problems;

import java.util.Comparator;
import java.util.List;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.replyensemble.support.http.RequestBodyTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
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
    static final int RETRY_AFTER_SECONDS = 5;

    /** Spring's own problems (404, 405, 415...) come with type about:blank: give them ours. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && (problem.getType() == null || "about:blank".equals(problem.getType().toString()))) {
            problem.setType(Problems.typeFor(response.getStatusCode().value()));
        }
        return response;
    }

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
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestBodyTooLargeException tooLarge) {
                return bodyTooLarge(tooLarge);
            }
        }
        // The parser's message is not echoed: it can quote the request, and it is meant for developers.
        return ResponseEntity.badRequest().body(Problems.detail(HttpStatus.BAD_REQUEST, "malformed-request",
                "Malformed request body", "The request body is missing or is not valid JSON of the expected shape"));
    }

    /** A body sent without Content-Length (chunked) that passed the limit while it was read. */
    @ExceptionHandler(RequestBodyTooLargeException.class)
    ResponseEntity<Object> bodyTooLarge(RequestBodyTooLargeException ex) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .header(HttpHeaders.CONNECTION, "close")
                .body(Problems.detail(HttpStatus.CONTENT_TOO_LARGE, "request-too-large", "Content Too Large",
                        "The request body is larger than this service accepts (" + ex.limit() + " bytes)"));
    }

    /**
     * Tomcat could not parse the query string or form body (a bad %-escape, too many parameters, a
     * form body over the limit) and says so when a parameter is first asked for: a 400 or 413, not
     * the 500 an unexpected IllegalStateException would give.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> invalidParameters(InvalidParameterException ex) {
        HttpStatus status = HttpStatus.resolve(ex.getErrorCode()) == HttpStatus.CONTENT_TOO_LARGE
                ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
        return ResponseEntity.status(status).body(status == HttpStatus.CONTENT_TOO_LARGE
                ? Problems.detail(status, "request-too-large", "Content Too Large", "The request body is larger than this service accepts")
                : Problems.detail(status, "malformed-request", "Malformed request",
                        "The query string or form body could not be read as parameters"));
    }

    /**
     * The database is away (refused, cut, or no pooled connection in time): a 503 with Retry-After
     * tells clients to try again rather than report a bug. The transaction never began or was
     * rolled back, so nothing of the request was stored.
     */
    @ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class,
            TransientDataAccessException.class })
    ResponseEntity<Object> unavailable(Exception ex) {
        log.warn("Database unavailable: {}", ex.toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                .body(Problems.detail(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service temporarily unavailable",
                        "A service this request needs is unavailable for the moment; nothing was changed. Please try again shortly."));
    }

    /**
     * A connection cut in the middle of a transaction fails the statement, and then the rollback
     * too; Spring reports the failed rollback and keeps the first failure as the application
     * exception. Nothing was committed, so when that first failure is the outage it is a 503 as
     * well (found by the fault tests: it was a 500 before).
     */
    @ExceptionHandler(TransactionSystemException.class)
    ResponseEntity<Object> transactionFailed(TransactionSystemException ex) {
        Throwable original = ex.getApplicationException();
        if (original instanceof DataAccessResourceFailureException || original instanceof TransientDataAccessException
                || original instanceof CannotCreateTransactionException) {
            return unavailable(ex);
        }
        return unexpected(ex);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) {
        log.error("Unexpected error", ex);
        return ResponseEntity.internalServerError().body(Problems.detail(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error",
                "Internal error", "Something went wrong on our side; please try again later"));
    }
}

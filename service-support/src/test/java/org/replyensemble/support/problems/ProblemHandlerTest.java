package org.replyensemble.support.problems;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

class ProblemHandlerTest {

    private final ProblemHandler handler = new ProblemHandler();

    @Test
    void aDatabaseOutageIsA503ProblemWithRetryAfter() {
        for (Exception outage : new Exception[] {
                new CannotCreateTransactionException("Could not open JDBC Connection for transaction"),
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection") }) {
            ResponseEntity<Object> response = handler.unavailable(outage);

            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
            ProblemDetail problem = (ProblemDetail) response.getBody();
            assertThat(problem.getType()).isEqualTo(URI.create("https://replyensemble.org/problems/service-unavailable"));
            assertThat(problem.getTitle()).isEqualTo("Service temporarily unavailable");
            assertThat(problem.getDetail()).doesNotContain("JDBC");
        }
    }

    @Test
    void aRollbackThatFailedBecauseTheConnectionWasCutIsA503Too() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed");
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException("An I/O error occurred while sending to the backend"));
        assertThat(handler.transactionFailed(rollbackFailed).getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

        TransactionSystemException other = new TransactionSystemException("Could not commit");
        other.initApplicationException(new IllegalStateException("a bug"));
        assertThat(handler.transactionFailed(other).getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}

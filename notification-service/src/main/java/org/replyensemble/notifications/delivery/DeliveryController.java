package org.replyensemble.notifications.delivery;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

import org.replyensemble.support.problems.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The operators' window on the delivery log. Recipients are masked: no full address leaves here. */
@RestController
@RequestMapping("/api/deliveries")
class DeliveryController {

    static final int MAX_PAGE_SIZE = 200;
    static final int MAX_RETRY_LIMIT = 10_000;

    private final Deliveries deliveries;
    private final DeliverySender sender;

    DeliveryController(Deliveries deliveries, DeliverySender sender) {
        this.deliveries = deliveries;
        this.sender = sender;
    }

    record DeliveryPage(List<DeliveryView> deliveries, int page, int size) {
    }

    /** @param summaryId the comments a flood-control summary carried (derived from the thread, one FOLDED entry each) */
    @GetMapping
    DeliveryPage find(@RequestParam(required = false) UUID commentId, @RequestParam(required = false) String status,
            @RequestParam(required = false) Long summaryId,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
        List<Problems.FieldProblem> errors = new ArrayList<>();
        DeliveryStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = DeliveryStatus.valueOf(status.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add(new Problems.FieldProblem("status", "must be one of " + Arrays.stream(DeliveryStatus.values())
                        .map(Enum::name).collect(Collectors.joining(", "))));
            }
        }
        if (page < 0) {
            errors.add(new Problems.FieldProblem("page", "must be 0 or more"));
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            errors.add(new Problems.FieldProblem("size", "must be between 1 and " + MAX_PAGE_SIZE));
        }
        if (!errors.isEmpty()) {
            throw Problems.invalidRequest(errors);
        }
        return new DeliveryPage(deliveries.find(commentId, wanted, summaryId, page, size), page, size);
    }

    record BulkRetry(int retried, int limit, boolean more) {
    }

    /**
     * Puts FAILED deliveries matching the filter back in line, each with a fresh set of attempts:
     * after an SMTP outage longer than the retries' max age, one call instead of one per delivery.
     * At most {@code limit} per call (oldest first); {@code more} says whether to call again. Each
     * retried delivery is at most one email, to a recipient who was due it; the send-time checks
     * (unsubscribed, suppressed, daily cap) apply again. Those the recipient's server rejected for
     * good (5xx) only with {@code includeRejected=true}: they would bounce again.
     *
     * @param createdFrom   deliveries created at or after this instant (ISO-8601)
     * @param createdBefore deliveries created before this instant
     */
    @PostMapping("/retry")
    BulkRetry retryFailed(@RequestParam(required = false) String status, @RequestParam(required = false) UUID postId,
            @RequestParam(required = false) UUID commentId, @RequestParam(required = false) String createdFrom,
            @RequestParam(required = false) String createdBefore, @RequestParam(defaultValue = "false") boolean includeRejected,
            @RequestParam(defaultValue = "1000") int limit) {
        List<Problems.FieldProblem> errors = new ArrayList<>();
        if (status != null && !status.isBlank() && !DeliveryStatus.FAILED.name().equalsIgnoreCase(status.strip())) {
            errors.add(new Problems.FieldProblem("status", "only FAILED deliveries are retried"));
        }
        Instant from = instant("createdFrom", createdFrom, errors);
        Instant before = instant("createdBefore", createdBefore, errors);
        if (from != null && before != null && !from.isBefore(before)) {
            errors.add(new Problems.FieldProblem("createdBefore", "must be after createdFrom"));
        }
        if (limit < 1 || limit > MAX_RETRY_LIMIT) {
            errors.add(new Problems.FieldProblem("limit", "must be between 1 and " + MAX_RETRY_LIMIT));
        }
        if (!errors.isEmpty()) {
            throw Problems.invalidRequest(errors);
        }
        int retried = deliveries.retryFailed(new Deliveries.RetryFilter(postId, commentId, from, before, includeRejected), limit);
        if (retried > 0) {
            sender.wakeUp();
        }
        return new BulkRetry(retried, limit, retried == limit);
    }

    private static Instant instant(String field, String value, List<Problems.FieldProblem> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(new Problems.FieldProblem(field, "must be an ISO-8601 date and time with an offset, e.g. 2026-11-30T18:00:00Z"));
            return null;
        }
    }

    /** Sends a FAILED delivery again (after the cause was fixed), with a fresh set of attempts. */
    @PostMapping("/{id}/retry")
    DeliveryView retry(@PathVariable long id) {
        DeliveryView retried = deliveries.retry(id).orElseThrow(() -> deliveries.findById(id)
                .map(existing -> Problems.exception(HttpStatus.CONFLICT, "delivery-not-failed", "Delivery is not FAILED",
                        "Delivery " + id + " is " + existing.status() + "; only a FAILED delivery can be retried."))
                .orElseGet(() -> Problems.exception(HttpStatus.NOT_FOUND, "delivery-not-found", "No such delivery",
                        "There is no delivery " + id + ".")));
        sender.wakeUp();
        return retried;
    }
}

package org.replyensemble.notifications.delivery;

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

    private final Deliveries deliveries;
    private final DeliverySender sender;

    DeliveryController(Deliveries deliveries, DeliverySender sender) {
        this.deliveries = deliveries;
        this.sender = sender;
    }

    record DeliveryPage(List<DeliveryView> deliveries, int page, int size) {
    }

    @GetMapping
    DeliveryPage find(@RequestParam(required = false) UUID commentId, @RequestParam(required = false) String status,
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
        return new DeliveryPage(deliveries.find(commentId, wanted, page, size), page, size);
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

package org.replyensemble.notifications.unsubscribe;

import java.net.URI;

import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.preferences.Preferences;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.tokens.InvalidTokenException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The links of every email. GET only shows a confirmation page: mail scanners follow links, and
 * must not unsubscribe anyone. POST unsubscribes, from the page's form or from a mail client's
 * one-click request (RFC 8058: form body {@code List-Unsubscribe=One-Click}).
 */
@Controller
@RequestMapping("/unsubscribe")
class UnsubscribeController {

    static final URI INVALID_TOKEN = URI.create("https://replyensemble.org/problems/invalid-unsubscribe-token");

    private final UnsubscribeTokens tokens;
    private final Preferences preferences;

    UnsubscribeController(UnsubscribeTokens tokens, Preferences preferences) {
        this.tokens = tokens;
        this.preferences = preferences;
    }

    @GetMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView confirm(@RequestParam(required = false) String token) {
        UnsubscribeScope scope;
        try {
            scope = tokens.verify(token);
        } catch (InvalidTokenException e) {
            return invalidPage(e);
        }
        return page("unsubscribe/confirm", scope, token);
    }

    /** The page's form, and any POST that is not a one-click request. */
    @PostMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView unsubscribeFromPage(@RequestParam(required = false) String token) {
        UnsubscribeScope scope;
        try {
            scope = tokens.verify(token);
        } catch (InvalidTokenException e) {
            return invalidPage(e);
        }
        record(scope);
        return page("unsubscribe/done", scope, token);
    }

    /**
     * A mail client's one-click request, whatever it accepts (the params condition outranks the
     * browser mapping): no page to show, so no content, or a problem.
     */
    @PostMapping(params = "List-Unsubscribe=One-Click")
    ResponseEntity<ProblemDetail> unsubscribeOneClick(@RequestParam(required = false) String token) {
        return unsubscribe(token);
    }

    /** Any other client that does not want HTML (an API call, a script). */
    @PostMapping
    ResponseEntity<ProblemDetail> unsubscribe(@RequestParam(required = false) String token) {
        UnsubscribeScope scope;
        try {
            scope = tokens.verify(token);
        } catch (InvalidTokenException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason(e));
            problem.setType(INVALID_TOKEN);
            problem.setTitle("Invalid unsubscribe link");
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        record(scope);
        return ResponseEntity.noContent().build();
    }

    /** A thread's unsubscribe sets its mode to NONE; everything's turns the address's mail off. Both idempotent. */
    private void record(UnsubscribeScope scope) {
        if (scope.isEverything()) {
            preferences.turnOffEverything(scope.email());
        } else {
            preferences.setThreadMode(scope.email(), scope.postId(), ThreadMode.NONE);
        }
    }

    private ModelAndView page(String view, UnsubscribeScope scope, String token) {
        ModelAndView page = new ModelAndView(view);
        page.addObject("token", token);
        page.addObject("everything", scope.isEverything());
        page.addObject("postTitle", scope.isEverything() ? null
                : preferences.postTitle(scope.postId()).orElse("this post"));
        page.addObject("maskedEmail", Addresses.mask(scope.email()));
        return page;
    }

    private static ModelAndView invalidPage(InvalidTokenException e) {
        ModelAndView page = new ModelAndView("unsubscribe/invalid", HttpStatus.BAD_REQUEST);
        page.addObject("reason", reason(e));
        return page;
    }

    private static String reason(InvalidTokenException e) {
        return switch (e.failure()) {
            case MISSING -> "The unsubscribe link has no token.";
            case MALFORMED -> "The unsubscribe link is malformed (was it cut off?).";
            case NOT_AUTHENTIC -> "The unsubscribe link is not valid: its signature does not match.";
            case EXPIRED -> "The unsubscribe link has expired; use the link in a newer email.";
            case WRONG_PURPOSE -> "This link is not an unsubscribe link.";
        };
    }
}

package org.replyensemble.notifications.unsubscribe;

import java.net.URI;

import org.replyensemble.notifications.addresses.Addresses;
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
    private final Unsubscriptions unsubscriptions;

    UnsubscribeController(UnsubscribeTokens tokens, Unsubscriptions unsubscriptions) {
        this.tokens = tokens;
        this.unsubscriptions = unsubscriptions;
    }

    @GetMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView confirm(@RequestParam(required = false) String token) {
        UnsubscribeScope scope;
        try {
            scope = tokens.verify(token);
        } catch (InvalidUnsubscribeTokenException e) {
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
        } catch (InvalidUnsubscribeTokenException e) {
            return invalidPage(e);
        }
        unsubscriptions.record(scope);
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
        } catch (InvalidUnsubscribeTokenException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
            problem.setType(INVALID_TOKEN);
            problem.setTitle("Invalid unsubscribe link");
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        unsubscriptions.record(scope);
        return ResponseEntity.noContent().build();
    }

    private ModelAndView page(String view, UnsubscribeScope scope, String token) {
        ModelAndView page = new ModelAndView(view);
        page.addObject("token", token);
        page.addObject("everything", scope.isEverything());
        page.addObject("postTitle", scope.isEverything() ? null
                : unsubscriptions.postTitle(scope.postId()).orElse("this post"));
        page.addObject("maskedEmail", Addresses.mask(scope.email()));
        return page;
    }

    private static ModelAndView invalidPage(InvalidUnsubscribeTokenException e) {
        ModelAndView page = new ModelAndView("unsubscribe/invalid", HttpStatus.BAD_REQUEST);
        page.addObject("reason", e.getMessage());
        return page;
    }
}

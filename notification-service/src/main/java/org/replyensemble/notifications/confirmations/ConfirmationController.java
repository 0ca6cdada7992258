package org.replyensemble.notifications.confirmations;

import java.net.URI;

import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.addresses.AddressBook.AddressState;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.preferences.Preferences;
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
 * The link in a confirmation email. GET shows a page with the confirm button and changes nothing
 * (mail scanners open links); POST confirms, or with {@code decision=not-me} suppresses the
 * mailbox. The pages show the address masked, as the unsubscribe pages do.
 */
@Controller
@RequestMapping("/confirm")
class ConfirmationController {

    static final URI INVALID_TOKEN = URI.create("https://replyensemble.org/problems/invalid-confirmation-token");
    static final String NOT_ME = "not-me";

    private final ConfirmationTokens tokens;
    private final Confirmations confirmations;
    private final AddressBook addresses;
    private final Preferences preferences;

    ConfirmationController(ConfirmationTokens tokens, Confirmations confirmations, AddressBook addresses, Preferences preferences) {
        this.tokens = tokens;
        this.confirmations = confirmations;
        this.addresses = addresses;
        this.preferences = preferences;
    }

    @GetMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView page(@RequestParam(required = false) String token) {
        ConfirmationTokens.Request request;
        try {
            request = tokens.open(token);
        } catch (InvalidTokenException e) {
            return invalidPage(e);
        }
        boolean confirmed = addresses.find(request.email()).map(AddressState::confirmed).orElse(false);
        return page(confirmed ? "confirm/done" : "confirm/confirm", request, token);
    }

    /** The page's two forms. */
    @PostMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView decide(@RequestParam(required = false) String token, @RequestParam(required = false) String decision) {
        ConfirmationTokens.Request request;
        try {
            request = tokens.open(token);
        } catch (InvalidTokenException e) {
            return invalidPage(e);
        }
        if (NOT_ME.equals(decision)) {
            confirmations.notMe(request.email());
            return page("confirm/not-me", request, token);
        }
        confirmations.confirm(request.email(), request.name(), ConfirmedBy.LINK);
        return page("confirm/done", request, token);
    }

    /** A client that does not want HTML (a script): no content, or a problem. */
    @PostMapping
    ResponseEntity<ProblemDetail> confirm(@RequestParam(required = false) String token) {
        ConfirmationTokens.Request request;
        try {
            request = tokens.open(token);
        } catch (InvalidTokenException e) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, reason(e));
            problem.setType(INVALID_TOKEN);
            problem.setTitle("Invalid confirmation link");
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        confirmations.confirm(request.email(), request.name(), ConfirmedBy.LINK);
        return ResponseEntity.noContent().build();
    }

    private ModelAndView page(String view, ConfirmationTokens.Request request, String token) {
        ModelAndView page = new ModelAndView(view);
        page.addObject("token", token);
        page.addObject("maskedEmail", Addresses.mask(request.email()));
        page.addObject("postTitle", request.postId() == null ? null : preferences.postTitle(request.postId()).orElse(null));
        page.addObject("greetingName", request.name());
        return page;
    }

    private static ModelAndView invalidPage(InvalidTokenException e) {
        ModelAndView page = new ModelAndView("confirm/invalid", HttpStatus.BAD_REQUEST);
        page.addObject("reason", reason(e));
        return page;
    }

    private static String reason(InvalidTokenException e) {
        return switch (e.failure()) {
            case MISSING -> "The confirmation link has no token.";
            case MALFORMED -> "The confirmation link is malformed (was it cut off?).";
            case NOT_AUTHENTIC -> "The confirmation link is not valid.";
            case EXPIRED -> "The confirmation link has expired. Your next comment asking for reply emails sends a new one.";
            case WRONG_PURPOSE -> "This link is not a confirmation link.";
        };
    }
}

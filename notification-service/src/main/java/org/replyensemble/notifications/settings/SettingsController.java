package org.replyensemble.notifications.settings;

import java.util.Arrays;
import java.util.Optional;

import org.replyensemble.notifications.addresses.AddressBook;
import org.replyensemble.notifications.addresses.AddressBook.AddressState;
import org.replyensemble.notifications.addresses.Addresses;
import org.replyensemble.notifications.preferences.Preferences;
import org.replyensemble.notifications.preferences.ThreadMode;
import org.replyensemble.notifications.threads.FloodControlProperties;
import org.replyensemble.notifications.tokens.InvalidTokenException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;

/**
 * The notification settings page, opened from the link in every reply email. GET shows the
 * choices and changes nothing (mail scanners open links); POST saves them. The choice is read by
 * the fan-out of the next comment and again by the sender, so it applies from the next email on.
 * The sealed token in the link is what authorizes the change: no account, no cookie.
 */
@Controller
@RequestMapping("/settings")
class SettingsController {

    private final SettingsTokens tokens;
    private final Preferences preferences;
    private final AddressBook addresses;

    private final FloodControlProperties floodControl;

    SettingsController(SettingsTokens tokens, Preferences preferences, AddressBook addresses, FloodControlProperties floodControl) {
        this.tokens = tokens;
        this.preferences = preferences;
        this.addresses = addresses;
        this.floodControl = floodControl;
    }

    @GetMapping(produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView show(@RequestParam(required = false) String token) {
        SettingsTokens.Scope scope;
        try {
            scope = tokens.open(token);
        } catch (InvalidTokenException e) {
            return invalidPage(e);
        }
        return page(scope, token, false);
    }

    @PostMapping
    ModelAndView save(@RequestParam(required = false) String token, @RequestParam(required = false) String thread,
            @RequestParam(required = false) String everything) {
        SettingsTokens.Scope scope;
        try {
            scope = tokens.open(token);
        } catch (InvalidTokenException e) {
            return invalidPage(e);
        }
        Optional<ThreadMode> mode = Arrays.stream(ThreadMode.values()).filter(m -> m.name().equals(thread)).findFirst();
        boolean everythingValid = "on".equals(everything) || "off".equals(everything);
        if (mode.isEmpty() || !everythingValid) {
            ModelAndView page = page(scope, token, false);
            page.setStatus(HttpStatus.BAD_REQUEST);
            page.addObject("problem", "Please choose one option in each group; nothing was changed.");
            return page;
        }
        preferences.setThreadMode(scope.email(), scope.postId(), mode.get());
        preferences.setMailEnabled(scope.email(), "on".equals(everything));
        return page(scope, token, true);
    }

    private ModelAndView page(SettingsTokens.Scope scope, String token, boolean saved) {
        ModelAndView page = new ModelAndView("settings/page");
        page.addObject("tokenPage", true);
        page.addObject("token", token);
        page.addObject("saved", saved);
        page.addObject("maskedEmail", Addresses.mask(scope.email()));
        page.addObject("postTitle", preferences.postTitle(scope.postId()).orElse("this post"));
        page.addObject("threadMode", preferences.threadMode(scope.email(), scope.postId()).name());
        page.addObject("mailEnabled", addresses.find(scope.email()).map(AddressState::mailEnabled).orElse(true));
        page.addObject("busyThreads", floodControl.inReadersWords().orElse(null));
        return page;
    }

    private static ModelAndView invalidPage(InvalidTokenException e) {
        ModelAndView page = new ModelAndView("settings/invalid", HttpStatus.BAD_REQUEST);
        page.addObject("tokenPage", true);
        page.addObject("reason", switch (e.failure()) {
            case MISSING -> "The settings link has no token.";
            case MALFORMED -> "The settings link is malformed (was it cut off?).";
            case NOT_AUTHENTIC -> "The settings link is not valid.";
            case EXPIRED -> "The settings link has expired; use the link in a newer email.";
            case WRONG_PURPOSE -> "This link is not a settings link.";
        });
        return page;
    }
}

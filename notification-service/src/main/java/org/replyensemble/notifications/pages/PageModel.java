package org.replyensemble.notifications.pages;

import org.replyensemble.notifications.email.EmailProperties;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the shared layout (service-support's templates/site/layout.html) needs on this service's
 * pages: each of them is opened from a link with a personal token (unsubscribe, confirm, settings),
 * so the layout keeps them out of search engines and loads no script; the site's name links to
 * the blog's home page, served by comment-service.
 */
@ControllerAdvice(annotations = Controller.class)
class PageModel {

    private final EmailProperties properties;

    PageModel(EmailProperties properties) {
        this.properties = properties;
    }

    @ModelAttribute("tokenPage")
    boolean tokenPage() {
        return true;
    }

    @ModelAttribute("homeUrl")
    String homeUrl() {
        return properties.publicBaseUrl() + "/";
    }
}

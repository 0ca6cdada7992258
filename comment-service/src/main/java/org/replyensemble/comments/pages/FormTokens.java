package org.replyensemble.comments.pages;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * Spring Security makes the CSRF token only when something asks for it, and the template asks
 * while it writes the page: by then a long thread page has sent its headers, and the cookie with
 * the token would be lost. So a page with a reply form asks first.
 */
final class FormTokens {

    private FormTokens() {
    }

    static void loadBeforeRendering(HttpServletRequest request) {
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            token.getToken();
        }
    }
}

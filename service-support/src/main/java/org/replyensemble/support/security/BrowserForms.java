package org.replyensemble.support.security;

import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The HTML forms a service's own pages submit for a visitor without an account (comment-service's
 * reply form). Such a request changes something on the strength of where it comes from alone, so
 * the shared configuration ({@link AccountsAutoConfiguration}) requires Spring Security's CSRF token
 * on exactly these requests, kept in a cookie (no session: the services stay stateless), and leaves
 * the JSON API as it is (no cookie, see {@link CrossSiteCredentialsFilter}). A page that renders
 * such a form must load the token before it writes the page (a controller parameter
 * {@code CsrfToken token} and {@code token.getToken()}), so its cookie goes out with the headers.
 * Several beans add up.
 */
@FunctionalInterface
public interface BrowserForms {

    RequestMatcher submissions();
}

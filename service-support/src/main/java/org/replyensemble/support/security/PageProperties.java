package org.replyensemble.support.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code http.pages.*}: the security headers of every answer of the public port (pages, and the API,
 * where they cost nothing). The management port (Swagger UI) is left alone.
 *
 * @param contentSecurityPolicy files of this origin only: no inline script or style, no plugin,
 *                              forms post only here, no framing (clickjacking)
 * @param referrerPolicy        notification-service's pages carry personal tokens in their URL and
 *                              set {@code no-referrer}; other pages send only their origin elsewhere
 */
@ConfigurationProperties("http.pages")
public record PageProperties(
        @DefaultValue("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
                + "base-uri 'none'; frame-ancestors 'none'") String contentSecurityPolicy,
        @DefaultValue("strict-origin-when-cross-origin") String referrerPolicy) {
}

package org.replyensemble.notifications.email;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publicBaseUrl      where readers see the comments: comment-service's pages (/posts/{slug}/comments/{id})
 * @param unsubscribeBaseUrl where this service's pages are served (/unsubscribe, /confirm, /settings); behind one
 *                           host (README, "Serving the pages") both are that host's address
 * @param mailFrom           the From header
 * @param mailDomain         the right-hand side of the derived Message-IDs
 */
@ConfigurationProperties("notifications")
public record EmailProperties(
        @DefaultValue("http://localhost:8082") String publicBaseUrl,
        @DefaultValue("http://localhost:8083") String unsubscribeBaseUrl,
        @DefaultValue("Reply notifications <notifications@replyensemble.local>") String mailFrom,
        @DefaultValue("replyensemble.local") String mailDomain) {

    public EmailProperties {
        publicBaseUrl = withoutTrailingSlash(publicBaseUrl);
        unsubscribeBaseUrl = withoutTrailingSlash(unsubscribeBaseUrl);
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

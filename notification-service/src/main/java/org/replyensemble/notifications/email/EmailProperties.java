package org.replyensemble.notifications.email;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param publicBaseUrl      where readers see the comments (links to a comment)
 * @param unsubscribeBaseUrl where this service's pages are served (/unsubscribe, /confirm): the base of the links in emails
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

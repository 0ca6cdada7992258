package org.replyensemble.comments.pages;

import org.replyensemble.support.security.AccessRules;
import org.replyensemble.support.security.BrowserForms;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The pages are for everyone, without an account, like the API they show. The reply form is the
 * one request a page makes a browser send, so it must carry the page's CSRF token (the shared
 * configuration in service-support keeps it in a cookie; the JSON API needs none).
 */
@Configuration(proxyBeanMethods = false)
class PageAccess {

    static final String REPLY_FORM = "/posts/*/comments";

    @Bean
    AccessRules pageRules() {
        return rules -> rules
                .requestMatchers(HttpMethod.GET, "/", "/posts/**", "/assets/**").permitAll()
                .requestMatchers(HttpMethod.POST, REPLY_FORM).permitAll()
                // The author's Edit and Delete: proven by the comment's cookie (AuthorCookies), not by an account.
                .requestMatchers(HttpMethod.POST, AuthorChangesController.EDIT_FORM, AuthorChangesController.DELETE_FORM).permitAll();
    }

    @Bean
    BrowserForms authorChangeForms() {
        return () -> new org.springframework.security.web.util.matcher.OrRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, AuthorChangesController.EDIT_FORM),
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, AuthorChangesController.DELETE_FORM));
    }

    @Bean
    BrowserForms replyForm() {
        return () -> PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, REPLY_FORM);
    }
}

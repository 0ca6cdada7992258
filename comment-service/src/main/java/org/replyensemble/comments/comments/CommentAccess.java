package org.replyensemble.comments.comments;

import org.replyensemble.support.security.AccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Commenting and reading are anonymous: a commenter's address is verified by notification-service
 * (double opt-in) before it gets any mail, not by an account here. An author's edit and delete are
 * proven by the comment's secret; moderation needs an account (the post's author or an operator).
 * Anything without a rule needs an account (the shared rules in service-support).
 */
@Configuration(proxyBeanMethods = false)
class CommentAccess {

    @Bean
    AccessRules commentRules() {
        return rules -> rules
                .requestMatchers(HttpMethod.GET, "/api/posts/*/comments", "/api/comments/*").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/posts/*/comments").permitAll()
                // The author's own changes: proven by the secret from the answer to the post, not by an account.
                .requestMatchers(HttpMethod.PATCH, "/api/comments/*").permitAll()
                // DELETE also serves moderators: signed in, their right to the post is checked by Comments.moderate.
                .requestMatchers(HttpMethod.DELETE, "/api/comments/*").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/comments/*/hide", "/api/comments/*/unhide", "/api/comments/*/approve").authenticated()
                // The export of what is held about one address: operators only.
                .requestMatchers("/api/operator/**").hasRole(org.replyensemble.support.security.Role.OPERATOR.name());
    }
}

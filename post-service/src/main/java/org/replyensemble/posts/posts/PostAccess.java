package org.replyensemble.posts.posts;

import org.replyensemble.support.security.AccessRules;
import org.replyensemble.support.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * Reading posts is public; publishing needs an AUTHOR; editing an AUTHOR or an OPERATOR, and
 * {@link Authorship} then decides whose post it is. Everything else needs an account (the shared
 * rules in service-support).
 */
@Configuration(proxyBeanMethods = false)
class PostAccess {

    @Bean
    AccessRules postRules() {
        return rules -> rules
                .requestMatchers(HttpMethod.GET, "/api/posts", "/api/posts/*").permitAll()
                .requestMatchers(HttpMethod.POST, "/api/posts").hasRole(Role.AUTHOR.name())
                .requestMatchers(HttpMethod.PATCH, "/api/posts/*").hasAnyRole(Role.AUTHOR.name(), Role.OPERATOR.name())
                // Erasure and export of a person: operators only.
                .requestMatchers("/api/operator/**").hasRole(Role.OPERATOR.name());
    }
}

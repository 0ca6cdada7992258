package org.replyensemble.support.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * One service's authorization rules, e.g. {@code rules.requestMatchers(HttpMethod.POST, "/api/posts")
 * .hasRole(Role.AUTHOR.name())}. The shared configuration ({@link AccountsAutoConfiguration}) applies
 * them after its own (health, the management server, error pages) and closes with "anything else
 * needs an account", so a new endpoint nobody wrote a rule for is never public by accident.
 * Several beans are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface AccessRules {

    void configure(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules);
}

package org.replyensemble.notifications;

import org.replyensemble.support.security.AccessRules;
import org.replyensemble.support.security.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The operator API ({@code /api/**}: the delivery log, retries, address confirmations) needs the
 * OPERATOR role. The pages behind the links of the emails stay public: their sealed token is the
 * credential (the settings page's too), and an RFC 8058 one-click unsubscribe is POSTed by a mail provider without any account.
 */
@Configuration(proxyBeanMethods = false)
class NotificationAccess {

    @Bean
    AccessRules notificationRules() {
        return rules -> rules
                .requestMatchers("/unsubscribe", "/unsubscribe/**", "/confirm", "/confirm/**", "/settings", "/settings/**").permitAll()
                .requestMatchers(HttpMethod.GET, "/assets/**").permitAll()
                .requestMatchers("/api/**").hasRole(Role.OPERATOR.name());
    }
}

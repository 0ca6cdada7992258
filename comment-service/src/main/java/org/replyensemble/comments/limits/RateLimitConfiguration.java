package org.replyensemble.comments.limits;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RateLimitProperties.class)
@EnableScheduling
class RateLimitConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

    /** The limits in force, in the log where an operator looks first. */
    @EventListener(ApplicationReadyEvent.class)
    void announce(ApplicationReadyEvent ready) {
        RateLimitProperties limits = ready.getApplicationContext().getBean(RateLimitProperties.class);
        if (limits.enabled()) {
            log.info("Comment rate limits: per client address {} (IPv6 by /{}), per mailbox {}",
                    limits.client(), limits.ipv6PrefixLength(), limits.mailbox());
        } else {
            log.warn("Comment rate limits are OFF (comments.rate-limit.enabled=false)");
        }
    }
}

package org.replyensemble.notifications.tokens;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The keys (checked at start-up: the service does not start with a public or missing secret) and the sealer. */
@Configuration(proxyBeanMethods = false)
class TokenConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TokenConfiguration.class);

    @Bean
    TokenKeys tokenKeys(TokenProperties properties,
            @Value("${notifications.unsubscribe.secret:}") String legacySecret,
            @Value("${ensemble.development-mode:false}") boolean developmentMode) {
        TokenKeys keys = TokenKeys.from(properties.secrets(), legacySecret, developmentMode);
        if (keys.development()) {
            log.warn("Development mode: links in emails are sealed with the public development secret. "
                    + "Never run like this where strangers can reach the service.");
        }
        log.info("Sealing links with key {} ({} key(s) open them)", keys.sealing().id(), keys.all().size());
        return keys;
    }

    @Bean
    SealedTokens sealedTokens(TokenKeys keys) {
        return new SealedTokens(keys, Clock.systemUTC());
    }
}

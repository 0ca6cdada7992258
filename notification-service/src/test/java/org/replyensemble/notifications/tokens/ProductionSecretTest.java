package org.replyensemble.notifications.tokens;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.NotificationServiceApplication;
import org.replyensemble.testing.SharedPostgres;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service started as in production (its own settings file, a real database and broker, no
 * development switch) refuses to start when the links in its emails could be forged: with the
 * public development secret, or with none.
 */
class ProductionSecretTest {

    private static final String DATABASE = SharedPostgres.newDatabase("notifications");

    @Test
    void refusesToStartWithThePublicDevelopmentSecret() {
        assertRefusesToStart(() -> start("--notifications.tokens.secrets=" + TokenKeys.DEVELOPMENT_SECRET,
                "--ensemble.erasure.key=" + OWN_ERASURE_KEY), "published default");
        assertRefusesToStart(() -> start("--notifications.unsubscribe.secret=" + TokenKeys.DEVELOPMENT_SECRET,
                "--ensemble.erasure.key=" + OWN_ERASURE_KEY), "published default");
    }

    @Test
    void refusesToStartWithoutASecret() {
        assertRefusesToStart(() -> start("--ensemble.erasure.key=" + OWN_ERASURE_KEY), "NOTIFICATIONS_TOKENS_SECRETS");
    }

    @Test
    void refusesToStartWithoutAnErasureKeyOrWithThePublicOne() {
        assertRefusesToStart(() -> start("--notifications.tokens.secrets=" + OWN_SECRET), "ENSEMBLE_ERASURE_KEY");
        assertRefusesToStart(() -> start("--notifications.tokens.secrets=" + OWN_SECRET,
                "--ensemble.erasure.key=" + org.replyensemble.support.erasure.ErasureKey.DEVELOPMENT_KEY), "published development key");
    }

    private static final String OWN_SECRET = "production-secret-tests-own-secret-0123456789";
    private static final String OWN_ERASURE_KEY = "production-secret-tests-own-erasure-key-0123456789";

    private static void assertRefusesToStart(ThrowingCallable start, String message) {
        assertThatThrownBy(start).rootCause().isInstanceOf(IllegalStateException.class).hasMessageContaining(message);
    }

    private static void start(String... more) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + DATABASE,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--spring.kafka.bootstrap-servers=" + System.getProperty("spring.kafka.bootstrap-servers"),
                "--spring.kafka.listener.auto-startup=false"));
        args.addAll(List.of(more));
        // Only reached if it started, which is the failure: close it again.
        try (ConfigurableApplicationContext started = NotificationServiceApplication.application().run(args.toArray(String[]::new))) {
            started.isRunning();
        }
    }
}

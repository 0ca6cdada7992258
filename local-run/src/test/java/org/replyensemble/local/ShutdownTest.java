package org.replyensemble.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void stopsLastStartedFirstOnceAndStopsLateArrivalsAtOnce() {
        List<String> stopped = new ArrayList<>();
        Shutdown shutdown = new Shutdown();
        shutdown.add("postgres", () -> stopped.add("postgres"));
        shutdown.add("broken", () -> {
            throw new IllegalStateException("boom");
        });
        shutdown.add("services", () -> stopped.add("services"));

        shutdown.run();
        shutdown.run();
        assertThat(stopped).containsExactly("services", "postgres");

        shutdown.add("late", () -> stopped.add("late"));
        assertThat(stopped).containsExactly("services", "postgres", "late");
    }
}

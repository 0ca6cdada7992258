package org.replyensemble.local;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Starting and stopping child JVMs. */
public final class Processes {

    private Processes() {
    }

    /** The java executable of the JVM running this code, so children run on the same JDK. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Asks the process to stop (SIGTERM), then kills it when it has not ended within the grace period. */
    public static void stop(Process process, long graceSeconds) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

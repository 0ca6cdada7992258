package org.replyensemble.local.seeds;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a file of the repository's seeds/ folder from any module folder (tests run in the module). */
public final class SeedFiles {

    private SeedFiles() {
    }

    /** {@code relative} (e.g. "seeds/vitamin-k2-thread.json") resolved against the working folder or the nearest parent holding it. */
    public static Path locate(String relative) {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found in " + dir + " or its parents");
    }

    public static Path thread() {
        return locate(SeedThread.DEFAULT_FILE);
    }

    public static Path expectedEmails() {
        return locate(ExpectedEmails.DEFAULT_FILE);
    }

    public static Path floodControlExpectedEmails() {
        return locate(ExpectedEmails.FLOOD_CONTROL_FILE);
    }
}

package org.replyensemble.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The count every fault test ends with: the emails the rules give for what it posted, against the
 * emails the SMTP server actually accepted about those comments. Printed on one line (and appended
 * to target/faults/figures.txt) so the README can quote it.
 */
record Figures(String scenario, String faults, int comments, int expected, int sent, int lost, int duplicated,
               int unexpected) {

    static Figures count(String scenario, String faults, int comments, Set<Email> expected, Collection<Email> received,
            Set<UUID> commentIds) {
        Map<Email, Integer> times = new HashMap<>();
        received.stream().filter(e -> commentIds.contains(e.commentId())).forEach(e -> times.merge(e, 1, Integer::sum));
        int sent = times.values().stream().mapToInt(Integer::intValue).sum();
        Set<Email> missing = new HashSet<>(expected);
        missing.removeAll(times.keySet());
        Set<Email> extra = new HashSet<>(times.keySet());
        extra.removeAll(expected);
        int duplicated = times.values().stream().mapToInt(n -> n - 1).sum();
        Figures figures = new Figures(scenario, faults, comments, expected.size(), sent, missing.size(), duplicated, extra.size());
        figures.print();
        return figures;
    }

    static Figures count(String scenario, String faults, List<ThreadLog> threads, Mailbox mailbox) {
        return count(scenario, faults, ThreadLog.commentCount(threads), ThreadLog.expectedEmails(threads),
                mailbox.received(), ThreadLog.commentIds(threads));
    }

    /** Nothing lost, nothing sent twice, nobody emailed who the rules leave out. */
    Figures assertExactlyOnce() {
        assertThat(lost).as("emails lost in %s", scenario).isZero();
        assertThat(duplicated).as("emails duplicated in %s", scenario).isZero();
        assertThat(unexpected).as("emails nobody should have had in %s", scenario).isZero();
        assertThat(sent).isEqualTo(expected);
        return this;
    }

    String line() {
        return "FAULT-FIGURES | " + scenario + " | faults: " + faults + " | comments " + comments + " | emails expected "
                + expected + ", sent " + sent + ", lost " + lost + ", duplicated " + duplicated + ", unexpected " + unexpected;
    }

    private void print() {
        System.out.println(line());
        Path file = Path.of(System.getProperty("faults.dir", "target/faults"), "figures.txt");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line() + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

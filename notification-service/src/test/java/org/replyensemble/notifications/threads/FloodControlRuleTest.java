package org.replyensemble.notifications.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.replyensemble.notifications.threads.FloodControl.Decision;
import org.replyensemble.notifications.threads.FloodControl.Fold;
import org.replyensemble.notifications.threads.FloodControl.MailNow;
import org.replyensemble.notifications.threads.FloodControl.Window;

/** The folding rule: the default of 3 thread updates at once per 10-minute window, the rest in one summary. */
class FloodControlRuleTest {

    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private final FloodControl rule = new FloodControl(3, Duration.ofMinutes(10));

    @Test
    void theFirstUpdateOpensAWindowAndIsMailedAtOnce() {
        Decision first = rule.decide(null, T0);
        assertThat(first).isEqualTo(new MailNow(new Window(T0, 1)));
    }

    @Test
    void theFourthAndLaterUpdatesOfAWindowAreFoldedIntoItsOneSummarySentWhenItCloses() {
        Window window = null;
        Decision[] decisions = new Decision[6];
        for (int i = 0; i < 6; i++) {
            decisions[i] = rule.decide(window, T0.plusSeconds(60L * i));
            window = decisions[i].window();
        }
        assertThat(decisions).extracting(d -> d instanceof Fold).containsExactly(false, false, false, true, true, true);
        // Every folded update names the same window (the summary's key) and the same closing time.
        assertThat(decisions[3]).isEqualTo(new Fold(new Window(T0, 4), T0.plus(Duration.ofMinutes(10))));
        assertThat(decisions[5]).isEqualTo(new Fold(new Window(T0, 6), T0.plus(Duration.ofMinutes(10))));
    }

    @Test
    void theFirstUpdateAfterTheWindowClosedOpensTheNextWindowAndIsMailedAtOnce() {
        Window busy = new Window(T0, 7);
        assertThat(rule.decide(busy, T0.plus(Duration.ofMinutes(10)).minusMillis(1))).isInstanceOf(Fold.class);
        Instant closed = T0.plus(Duration.ofMinutes(10));
        assertThat(rule.decide(busy, closed)).isEqualTo(new MailNow(new Window(closed, 1)));
    }

    @Test
    void anUpdateWithAnEarlierTimeThanItsWindowCountsInThatWindow() {
        // A comment that arrives late for a skipped position still belongs to the window it falls in.
        assertThat(rule.decide(new Window(T0, 3), T0.minusSeconds(5))).isEqualTo(new Fold(new Window(T0, 4), T0.plus(Duration.ofMinutes(10))));
    }

    @Test
    void anUpdateWhoseSummaryHasGoneIsMailedAtOnceAndOpensTheNextWindow() {
        Instant at = T0.plusSeconds(30);
        assertThat(rule.summaryGone(at)).isEqualTo(new MailNow(new Window(at, 1)));
    }

    @Test
    void aLimitOfOneFoldsEverythingAfterTheFirstUpdate() {
        FloodControl strict = new FloodControl(1, Duration.ofMinutes(1));
        Decision first = strict.decide(null, T0);
        assertThat(first).isInstanceOf(MailNow.class);
        assertThat(strict.decide(first.window(), T0.plusSeconds(1))).isInstanceOf(Fold.class);
    }

    @Test
    void aWindowMailsAtLeastItsFirstUpdateAndLastsSomeTime() {
        assertThatThrownBy(() -> new FloodControl(0, Duration.ofMinutes(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FloodControl(3, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
